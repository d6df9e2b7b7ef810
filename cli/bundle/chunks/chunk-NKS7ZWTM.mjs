// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
var r=class extends Error{constructor(s,o,t={},m){super(s);this.code=s;this.status=o;this.params=t;this.messages=m;this.name="DomainError"}code;status;params;messages};export{r as a};
