export * from './canonical-json';
export * from './chain';
export * from './event';
export * from './projection';
