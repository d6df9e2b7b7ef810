#!/usr/bin/env node
// Built by `npm run build:cli` from cli/*.ts (cli/bundle.ts): do not edit.
import{a as e}from"./chunks/chunk-2ERVXY5S.mjs";import"./chunks/chunk-KMBSPW6X.mjs";e.enableCompileCache?.();var{run:o}=await import("./chunks/main-23FKHQYK.mjs");process.exitCode=await o(process.argv.slice(2));
