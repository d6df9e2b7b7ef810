// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{a}from"./chunk-NKS7ZWTM.mjs";import"./chunk-3QKK36EF.mjs";export{a as DomainError};
