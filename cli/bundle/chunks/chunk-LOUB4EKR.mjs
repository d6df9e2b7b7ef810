// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
var s=class extends Error{constructor(e,t,o={}){super(e);this.code=e;this.status=t;this.params=o;this.name="DomainError"}code;status;params};export{s as a};
