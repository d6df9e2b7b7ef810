// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{c as a,f as d}from"./chunk-FYIEJFM2.mjs";import"./chunk-KMBSPW6X.mjs";var x=process.getBuiltinModule("node:util");var f=x.parseArgs;var l=`Sử dụng / usage:
  docflow verify <file.pdf> [--trust root.pem]… [--crl file.crl]… [--json] [--lang vi|en]
  docflow verify-evidence <package.zip> --trust root.pem [--json] [--lang vi|en]
  docflow verify-proof <proof.json> [--trust root.pem] [--event event.json] [--head saved-head.json]
                       [--json] [--lang vi|en]

  --trust   trust anchors (PEM, may hold several roots); repeatable
  --crl     CRLs (DER or PEM) in addition to those in the document; repeatable
  --event   verify-proof: the event (JSON) the inclusion proof is about; its hash is recomputed
  --head    verify-proof: a tree head kept earlier; the proof must be about that exact head
            (inclusion) or start from it (consistency)
Exit: 0 verified, 1 not verified, 2 could not run.`;async function g(o,i){let{values:t,positionals:c}=f({args:[...o],allowPositionals:!0,options:{trust:{type:"string",multiple:!0,default:[]},crl:{type:"string",multiple:!0,default:[]},event:{type:"string"},head:{type:"string"},json:{type:"boolean",default:!1},lang:{type:"string",default:"vi"},help:{type:"boolean",short:"h",default:!1}}}),[r,e,...n]=c;if(t.help||!r)return{code:t.help?0:2,output:l};if(t.lang!=="vi"&&t.lang!=="en")throw new a("--lang is vi or en");if(!e||n.length>0)throw new a(`${r} takes exactly one file`);let s={file:e,trust:t.trust,crl:t.crl,event:t.event,head:t.head,json:t.json,lang:t.lang,wholeFile:i};switch(r){case"verify":return(await import("./verify-pdf-Z7WUW2YX.mjs")).verifyCommand(s);case"verify-evidence":return(await import("./verify-evidence-YSIR3P67.mjs")).verifyEvidenceCommand(s);case"verify-proof":return(await import("./verify-proof-3NWOJKGF.mjs")).verifyProofCommand(s);default:throw new a(`unknown command ${r}`)}}async function v(o,i){let t=d(),c=()=>i===void 0&&t.wanted(),r=async()=>(await import("../full.mjs")).run(o);try{let e=await g(o,i??t.parser);return c()?await r():(console.log(e.output),e.code)}catch(e){if(c())return await r();if(e instanceof a)return console.error(`docflow: ${e.message}

${l}`),2;let n=e.code;if(n?.startsWith("ERR_PARSE_ARGS"))return console.error(`docflow: ${e.message}

${l}`),2;if(n==="ENOENT"||n==="EISDIR"||n==="EACCES")return console.error(`docflow: ${e.message}`),2;let[{DomainError:s},{renderError:m}]=await Promise.all([import("./errors-IQ4K7WZ5.mjs"),import("./messages-U7KFIROX.mjs")]);if(e instanceof s){let p=o.indexOf("--lang"),u=o.includes("--lang=en")||p>=0&&o[p+1]==="en"?"en":"vi";return console.error(`docflow: ${m(e,u)}`),2}return console.error("docflow:",e),2}}export{g as main,v as run};
