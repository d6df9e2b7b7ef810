// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{c as s,f as d}from"./chunk-FYIEJFM2.mjs";import"./chunk-3QKK36EF.mjs";var m=process.getBuiltinModule("node:util");var f=m.parseArgs;var p=`Sử dụng / usage:
  docflow verify <file.pdf> [--trust root.pem]… [--crl file.crl]… [--json] [--lang vi|en]
  docflow verify-evidence <package.zip> --trust root.pem [--json] [--lang vi|en]
  docflow verify-proof <proof.json> [--trust root.pem] [--event event.json] [--head saved-head.json]
                       [--json] [--lang vi|en]

  --trust   trust anchors (PEM, may hold several roots); repeatable
  --crl     CRLs (DER or PEM) in addition to those in the document; repeatable
  --event   verify-proof: the event (JSON) the inclusion proof is about; its hash is recomputed
  --head    verify-proof: a tree head kept earlier; the proof must be about that exact head
            (inclusion) or start from it (consistency)
Exit: 0 verified, 1 not verified, 2 could not run.`;async function u(a,i){let{values:t,positionals:c}=f({args:[...a],allowPositionals:!0,options:{trust:{type:"string",multiple:!0,default:[]},crl:{type:"string",multiple:!0,default:[]},event:{type:"string"},head:{type:"string"},json:{type:"boolean",default:!1},lang:{type:"string",default:"vi"},help:{type:"boolean",short:"h",default:!1}}}),[o,e,...r]=c;if(t.help||!o)return{code:t.help?0:2,output:p};if(t.lang!=="vi"&&t.lang!=="en")throw new s("--lang is vi or en");if(!e||r.length>0)throw new s(`${o} takes exactly one file`);let n={file:e,trust:t.trust,crl:t.crl,event:t.event,head:t.head,json:t.json,lang:t.lang,wholeFile:i};switch(o){case"verify":return(await import("./verify-pdf-YR4J4YKB.mjs")).verifyCommand(n);case"verify-evidence":return(await import("./verify-evidence-QLUUCZDF.mjs")).verifyEvidenceCommand(n);case"verify-proof":return(await import("./verify-proof-AQHPIR5L.mjs")).verifyProofCommand(n);default:throw new s(`unknown command ${o}`)}}async function h(a,i){let t=d(),c=()=>i===void 0&&t.wanted(),o=async()=>(await import("../full.mjs")).run(a);try{let e=await u(a,i??t.parser);return c()?await o():(console.log(e.output),e.code)}catch(e){if(c())return await o();if(e instanceof s)return console.error(`docflow: ${e.message}

${p}`),2;let r=e.code;if(r?.startsWith("ERR_PARSE_ARGS"))return console.error(`docflow: ${e.message}

${p}`),2;if(r==="ENOENT"||r==="EISDIR"||r==="EACCES")return console.error(`docflow: ${e.message}`),2;let[{DomainError:n},{renderMessage:l}]=await Promise.all([import("./errors-3WM52IIK.mjs"),import("./messages-LOU7SWUW.mjs")]);return e instanceof n?(console.error(`docflow: ${l(e.code,"vi",e.params)} / ${l(e.code,"en",e.params)}`),2):(console.error("docflow:",e),2)}}export{u as main,h as run};
