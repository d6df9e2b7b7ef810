// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{a}from"./chunk-NKS7ZWTM.mjs";import"./chunk-KMBSPW6X.mjs";export{a as DomainError};
