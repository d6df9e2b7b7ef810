// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
var e=process.getBuiltinModule("node:module"),o=e;var t=e.createRequire;export{o as a,t as b};
