// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{a,b,c}from"./chunk-AVMF4BO4.mjs";import"./chunk-3QKK36EF.mjs";export{a as messages,b as negotiateLanguage,c as renderMessage};
