// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{f as a,g as b,h as c,i as d,j as e,k as f,l as g}from"./chunk-HE2DSD3B.mjs";import"./chunk-KMBSPW6X.mjs";export{g as issueMessage,d as messageList,c as messageText,b as messages,a as negotiateLanguage,f as renderError,e as renderMessage};
