// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
var d=Object.defineProperty;var e=(c,a)=>{for(var b in a)d(c,b,{get:a[b],enumerable:!0})};export{e as a};
