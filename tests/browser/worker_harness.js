// Runs the search worker that the built site ships (assets/javascripts/workers/hcc-search.js, which
// loads mkdocs-material's lunr worker) in Node, so that queries are answered by exactly the code the
// browser runs: the same query reading (hcc-search.js), tokenizer, wildcards and ranking.
//
//   node worker_harness.js <site dir> <search_index.json>   < queries.json   > results.json
//   node worker_harness.js --read <site dir> <search_index.json>   < queries.json   > reads.json
//
// queries.json: ["query", ...]; results.json: [{query, read, groups: [[{location, score, title, tags}, ...], ...]}, ...]
// where every group is one result item of the search dialog (a page and its matching sections),
// in the order the dialog lists them, and `read` is the query as lunr got it. With --read, only
// [{query, read, labels}]. The root page's index (which names the language indexes) is loaded from
// the site directory, as the browser loads it from the server.
"use strict"
const fs = require("fs")
const path = require("path")
const vm = require("vm")

let args = process.argv.slice(2)
const readOnly = args[0] === "--read"
if (readOnly)
  args = args.slice(1)
const [siteDir, indexPath] = args
const workerPath = path.join(siteDir, "assets", "javascripts", "workers", "hcc-search.js")
const queries = JSON.parse(fs.readFileSync(0, "utf8"))
const index = JSON.parse(fs.readFileSync(indexPath, "utf8"))

// The worker sees itself served from a web server (as in the browser: the root page fetches the language
// indexes); the server's files are the site directory's.
const ORIGIN = "http://site.invalid"
const fileOf = url => path.join(siteDir, decodeURIComponent(new URL(url).pathname))
const listeners = []
let reply = null
const sandbox = {
  console, setTimeout, clearTimeout, URL, TextEncoder, TextDecoder,
  location: { href: `${ORIGIN}/assets/javascripts/workers/hcc-search.js` },
  addEventListener: (type, fn) => { if (type === "message") listeners.push(fn) },
  postMessage: message => { reply = message },
  importScripts: (...urls) => {
    for (const url of urls)
      vm.runInContext(fs.readFileSync(fileOf(url), "utf8"), sandbox, { filename: fileOf(url) })
  },
  fetch: async url => ({ ok: true, json: async () => JSON.parse(fs.readFileSync(fileOf(url), "utf8")) }),
}
sandbox.self = sandbox
vm.createContext(sandbox)
vm.runInContext(fs.readFileSync(workerPath, "utf8"), sandbox, { filename: workerPath })

// Message types of the worker protocol (SearchMessageType): SETUP 0, READY 1, QUERY 2, RESULT 3
async function send(message) {
  reply = null
  for (const fn of listeners) await fn({ data: message })
  for (let i = 0; i < 1000 && reply === null; i++)
    await new Promise(resolve => setImmediate(resolve))  // the reply comes after the worker's awaits
  return reply
}

async function main() {
  const ready = await send({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } })
  if (!ready || ready.type !== 1) throw new Error("the search worker did not become ready")
  const out = []
  for (const query of queries) {
    const result = await send({ type: 2, data: query })
    const read = sandbox.hccLastRead
    if (readOnly) {
      out.push({ query, read: read.query, labels: read.labels })
      continue
    }
    const groups = result.data.items.map(group => group.map(doc => ({
      location: doc.location, score: doc.score, title: doc.title, tags: doc.tags || [], terms: doc.terms })))
    out.push({ query, read: read.query, groups })
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch(err => { console.error(err); process.exit(1) })
