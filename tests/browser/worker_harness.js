// Runs the search worker that the built site ships (mkdocs-material's lunr worker) in Node,
// so that queries are answered by exactly the code the browser runs: the same tokenizer,
// the same query rewriting (Chinese query segmentation, wildcards) and the same ranking.
//
//   node worker_harness.js <worker.js> <search_index.json>   < queries.json   > results.json
//
// queries.json: ["query", ...]; results.json: [{query, groups: [[{location, score}, ...], ...]}, ...]
// where every group is one result item of the search dialog (a page and its matching sections),
// in the order the dialog lists them.
"use strict"
const fs = require("fs")
const vm = require("vm")

const [workerPath, indexPath] = process.argv.slice(2)
const queries = JSON.parse(fs.readFileSync(0, "utf8"))
const index = JSON.parse(fs.readFileSync(indexPath, "utf8"))

const listeners = []
let reply = null
const sandbox = {
  console, setTimeout, clearTimeout, URL, TextEncoder, TextDecoder,
  addEventListener: (type, fn) => { if (type === "message") listeners.push(fn) },
  postMessage: message => { reply = message },
  importScripts: () => { throw new Error("the index asks for lunr language scripts") },
}
sandbox.self = sandbox
vm.createContext(sandbox)
vm.runInContext(fs.readFileSync(workerPath, "utf8"), sandbox, { filename: workerPath })

// Message types of the worker protocol (SearchMessageType): SETUP 0, READY 1, QUERY 2, RESULT 3
async function send(message) {
  reply = null
  for (const fn of listeners) await fn({ data: message })
  return reply
}

async function main() {
  const ready = await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } })
  if (!ready || ready.type !== 1) throw new Error("the search worker did not become ready")
  const out = []
  for (const query of queries) {
    const result = await send({ type: 2, data: query })
    const groups = result.data.items.map(group => group.map(doc => ({ location: doc.location, score: doc.score })))
    out.push({ query, groups })
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch(err => { console.error(err); process.exit(1) })
