/* The site's search worker: mkdocs-material's lunr worker (loaded below, unchanged: the same index,
   tokenizer and ranking), with each query read the way the index was written (generator/site/search.py,
   generator/site/searchquery.py) before lunr sees it:

   - Chinese typed without spaces is cut with the lexicon the index was cut with (drug, procedure and
     glossary names, shipped in the index as config.hcc.words); what lies between those names is
     looked up as typed where the text has it, else cut into the longest pieces the text has;
     function words (the words of 40% of the documents or more, config.hcc.stop: '联合', '治疗', '的')
     and lone characters are left out of a query that has other words;
   - a name of a trial, drug, regimen or glossary term in any of its forms, in either language
     ('EMERALD-1', 'checkmate459', 'A+T', 'STRIDE', 'PVTT', '门静脉癌栓' on the English site) adds its
     concept's key, a term that every passage naming the concept carries; the beginning of a drug's
     INN ('atezo', 'bev') adds the drug's, and the drugs of a regimen together add the regimen's; an
     acronym that is also a word ('EACH', config.hcc.cased) names its concept in capitals only;
   - a name written in pieces with digits ('CheckMate 459', 'EMERALD-1') is also looked up run
     together, as the index holds it; its digits are never looked up alone ('1' is in every page).

   On the root page the index names the two language indexes (config.hcc.merge): both are loaded and
   searched together, each result labelled with its language.

   The results go back with the query's own words in place of the keys ("Missing: EMERALD-1", never a
   key). tests/browser/worker_harness.js runs this file in Node, as tests/test_search_quality.py does. */
"use strict"

;(function () {
  const MATERIAL_WORKER = "search.a7633da7.min.js"  // mkdocs-material 9.8.1's worker, next to this file
  const SENTINEL = "\u2060"
  const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  // generator/sources/names.py HAN
  const HAN_CHAR = new RegExp(`[${HAN}]`)
  const HAN_RUN = new RegExp(`[${HAN}]+`, "g")
  const HAN_WORD = new RegExp(`^[${HAN}]+$`)
  const UNIT = new RegExp(`[a-z0-9]+|[${HAN}]|[+&]`, "g")
  // generator/site/searchquery.py COMPOUND, and what splits one
  const COMPOUND = /(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-\u2010\u2011\u2013 \u00a0]?[0-9][A-Za-z0-9]*|-[A-Za-z]+[0-9][A-Za-z0-9]*)+(?![A-Za-z0-9]|\.[0-9])/g
  const SPLIT = /[-\u2010\u2011\u2013 \u00a0]/
  const SYNTAX = /(^|\s)[+-]\S|[:~^*"]/  // lunr's query syntax: such a query is left as typed
  const PART_MAX = 8  // generator/site/search.py PART_MAX: the longest piece of Chinese the index can find
  // a name typed whole; a name guessed (an INN's beginning, a piece of a name); Chinese as typed, when its
  // words are looked up too
  const BOOST = { name: 8, guess: 3, phrase: 3 }
  const LANGS = { zh: { tag: "中文", html: "zh-CN" }, en: { tag: "English", html: "en" } }
  const RARE = 3  // Chinese typed that fewer passages than this have is also looked up word by word
  const ROOT_OWN = 1.6  // the root page: the weight of a page in the query's language, which comes first

  // ------------------------------------------------------------------------------------------------
  // Reading a query
  // ------------------------------------------------------------------------------------------------

  const fold = value => value.normalize("NFKC").toLowerCase()

  /* 'CheckMate 459', 'checkmate-459' -> 'checkmate459'; 'A+T 方案' -> 'a+t方案' */
  function squash(value) {
    return (fold(value).match(UNIT) || []).join("")
  }

  /* The names written in pieces in `value`, run together, each with the pieces it replaces */
  function compounds(value) {
    const out = []
    for (const m of value.matchAll(COMPOUND))
      if (SPLIT.test(m[0]))
        out.push({ term: fold(m[0]).replace(/[^a-z0-9]/g, ""), start: m.index, end: m.index + m[0].length,
                   head: fold(m[0].split(SPLIT)[0]).replace(/[^a-z0-9]/g, "") })
    return out
  }

  class Reader {

    /* hcc: the index's config.hcc; index: the lunr index (what the text has: its Chinese terms, and
       the words of its titles and texts, those the index was cut into) */
    constructor(hcc, index) {
      this.lang = hcc.lang
      this.stop = new Set(hcc.stop || [])
      this.words = new Set(hcc.words || [])
      this.maxWord = Math.max(1, ...[...this.words].map(w => w.length))
      this.forms = new Map()        // squashed form -> keys
      this.cased = new Map()        // squashed acronym that is also a word -> keys (typed in capitals only)
      this.hanNames = new Map()     // a Chinese name that is a dictionary word -> keys
      this.inns = new Map()         // INN -> keys
      this.regimens = []            // [key, component keys]
      this.longest = 1
      for (const [key, forms, components, inn, short] of hcc.concepts || []) {
        for (const form of forms) {
          const s = squash(form)
          if (!s)
            continue
          const map = (hcc.cased || []).includes(form) ? this.cased : this.forms
          map.set(s, [...(map.get(s) || []), { key, sure: !(short || []).includes(form) }])
          this.longest = Math.max(this.longest, (fold(form).match(UNIT) || []).length)
          if (this.words.has(form))
            this.hanNames.set(form, [...(this.hanNames.get(form) || []), { key, sure: false }])
        }
        if (components.length > 1)
          this.regimens.push([key, components])
        if (inn)
          this.inns.set(fold(inn), [...(this.inns.get(fold(inn)) || []), { key, sure: false }])
      }
      this.regimenKeys = new Set(this.regimens.map(([key]) => key))
      // of regimens of the same drugs, the one named shortest is those drugs alone ('TACE plus sorafenib',
      // not 'TACE plus sorafenib and ICIs', whose record lists the same drugs)
      const shortest = new Map()
      for (const [key, forms, components] of hcc.concepts || [])
        if (components.length > 1) {
          const same = [...components].sort().join(" "), length = Math.min(...forms.map(f => f.length))
          if (!shortest.has(same) || shortest.get(same)[1] > length)
            shortest.set(same, [key, length])
        }
      this.plain = new Set([...shortest.values()].map(([key]) => key))
      this.index = index || null
      const inverted = index ? index.invertedIndex : {}
      this.original = new Map()  // a Chinese term without its sentinel -> the index's term
      for (const term of Object.keys(inverted))
        if (HAN_CHAR.test(term))
          this.original.set(term.replace(SENTINEL, ""), term)
      this.terms = [...this.original.keys()].sort()
      this.vocabulary = new Set([...this.original].filter(([word, term]) => HAN_WORD.test(word) && word.length > 1
        && ["title", "text"].some(f => inverted[term][f] && Object.keys(inverted[term][f]).length)).map(([word]) => word))
      this.longestWord = Math.max(1, ...[...this.vocabulary].map(w => w.length))
    }

    /* Whether the index has a term beginning with `value` (a Chinese piece: the index holds every tail
       of every run of Chinese, up to PART_MAX characters, so: whether the text has it) */
    has(value) {
      const at = this.first(value)
      return at < this.terms.length && this.terms[at].startsWith(value)
    }

    first(value) {
      const terms = this.terms
      let lo = 0, hi = terms.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (terms[mid] < value) lo = mid + 1
        else hi = mid
      }
      return lo
    }

    /* How many documents have Chinese beginning with `value` (up to `enough`) */
    documents(value, enough) {
      const docs = new Set()
      for (let i = this.first(value); i < this.terms.length && this.terms[i].startsWith(value); i++) {
        const posting = this.index.invertedIndex[this.original.get(this.terms[i])]
        for (const field of Object.keys(posting))
          if (field !== "_index")
            Object.keys(posting[field]).forEach(ref => docs.add(ref))
        if (docs.size >= enough)
          break
      }
      return docs.size
    }

    /* The names in the query: [{start, end, keys, units, whole}] over its units */
    names(units) {
      const found = []
      for (let i = 0; i < units.length; i++) {
        let s = ""
        for (let j = i; j < Math.min(units.length, i + this.longest); j++) {
          s += units[j].text
          let keys = this.forms.get(s)
          const typed = units.slice(i, j + 1).map(u => u.raw).join("")
          if (!keys && this.cased.has(s) && typed === typed.toUpperCase())
            keys = this.cased.get(s)
          if (keys)
            found.push({ start: i, end: j + 1, keys, han: HAN_CHAR.test(s) })
        }
      }
      // a name inside a longer one is left out ('完全缓解' in '完全缓解率'), but for the drugs of a
      // regimen's name ('阿替利珠单抗' in '阿替利珠单抗联合贝伐珠单抗')
      return found.filter(m => !found.some(o => o !== m && o.start <= m.start && o.end >= m.end
        && o.end - o.start > m.end - m.start && !o.keys.some(k => this.regimenKeys.has(k.key))))
    }

    /* A run of Chinese cut into pieces: [{text, name}] (see the top of this file) */
    cut(run) {
      const n = run.length
      const best = new Array(n + 1).fill(0), next = new Array(n + 1).fill(0)
      for (let i = n - 1; i >= 0; i--) {
        best[i] = best[i + 1]
        next[i] = i + 1
        for (let k = Math.min(this.maxWord, n - i); k >= 2; k--)
          if (this.words.has(run.slice(i, i + k)) && k + best[i + k] > best[i]) {
            best[i] = k + best[i + k]
            next[i] = i + k
          }
      }
      const pieces = []
      let gap = ""
      const flush = () => {
        if (gap)
          pieces.push(...this.pieces(gap).map(p => ({ ...p, chunk: gap })))
        gap = ""
      }
      for (let i = 0; i < n; i = next[i]) {
        if (next[i] - i > 1 || this.words.has(run[i])) {
          flush()
          pieces.push({ text: run.slice(i, next[i]), name: true })
        } else {
          gap += run[i]
        }
      }
      flush()
      return pieces
    }

    /* Chinese between names: as typed where the text has it (and, where few passages have it, its
       words: '转化手术机会' also finds 转化, 手术, 机会 apart), else the longest pieces the text has (as
       typed if it has none, or on the English site: the reader sees it missing) */
    pieces(chunk) {
      if (this.lang === "en")
        return [{ text: chunk, name: false }]
      if (chunk.length <= PART_MAX && this.has(chunk)) {
        const words = chunk.length >= 3 && this.documents(chunk, RARE) < RARE ? this.wordsOf(chunk) : []
        return [{ text: chunk, name: false, boost: words.length ? BOOST.phrase : 0 }, ...words]
      }
      const out = []
      for (let i = 0; i < chunk.length;) {
        let k = Math.min(PART_MAX, chunk.length - i)
        while (k > 1 && !this.has(chunk.slice(i, i + k)))
          k--
        out.push({ text: chunk.slice(i, i + k), name: false })
        i += k
      }
      return out.some(p => p.text.length > 1) ? out : [{ text: chunk, name: false }]
    }

    /* The words of the index's vocabulary a chunk is made of (fewest words covering most), as extra
       pieces: [{text, name: false, extra: true}] */
    wordsOf(chunk) {
      const n = chunk.length
      const best = new Array(n + 1).fill(null)
      best[n] = { covered: 0, count: 0, next: n }
      for (let i = n - 1; i >= 0; i--) {
        best[i] = { covered: best[i + 1].covered, count: best[i + 1].count, next: i + 1, word: false }
        for (let k = Math.min(this.longestWord, n - i); k >= 2; k--) {
          if (k === n || !this.vocabulary.has(chunk.slice(i, i + k)))
            continue
          const covered = k + best[i + k].covered, count = 1 + best[i + k].count
          if (covered > best[i].covered || (covered === best[i].covered && count < best[i].count))
            best[i] = { covered, count, next: i + k, word: true }
        }
      }
      const out = []
      for (let i = 0; i < n; i = best[i].next)
        if (best[i].word)
          out.push({ text: chunk.slice(i, best[i].next), name: false, extra: true })
      return out
    }

    /* The longest piece (3 characters or more) of Chinese between names that only one name contains
       ('瑞普利', '动脉化疗栓塞' of '经导管动脉化疗栓塞'): that name's keys */
    guessHan(chunk) {
      for (let k = Math.min(chunk.length, this.maxWord); k >= 3; k--)
        for (let i = 0; i + k <= chunk.length; i++) {
          const piece = chunk.slice(i, i + k)
          const owners = [...this.hanNames].filter(([name]) => name !== piece && name.includes(piece))
          if (owners.length === 1)
            return owners[0][1]
        }
      return null
    }

    /* An English word as the index may hold it: a plural in -s without its -s ('biomarkers' finds
       biomarker; the trailing wildcard finds the plural too), -ies without -ies ('therapies': therap*) */
    static singular(word) {
      if (word.length < 5 || /\d/.test(word) || /(ss|us|is)$/.test(word))
        return word
      if (word.endsWith("ies"))
        return word.slice(0, -3)
      return word.endsWith("s") ? word.slice(0, -1) : word
    }

    /* The beginning of one INN ('atezo', 'bev'): that drug's keys */
    guessInn(word) {
      if (word.length < 3)
        return null
      const owners = [...this.inns].filter(([inn]) => inn !== word && inn.startsWith(word))
      return owners.length === 1 ? owners[0][1] : null
    }

    /* The query for lunr, and the query's own words for each key: {query, labels} */
    read(query) {
      const raw = query.normalize("NFKC").trim()
      if (!raw || SYNTAX.test(raw))
        return { query, labels: {}, typed: query }
      const units = [...raw.matchAll(new RegExp(UNIT.source, "gi"))]
        .map(m => ({ text: m[0].toLowerCase(), raw: m[0], start: m.index, end: m.index + m[0].length }))
      const keys = new Map()  // key -> {boost, label}
      const addKeys = (list, sure, label) => {  // list: [{key, sure}]
        for (const { key, sure: named } of list || []) {
          const boost = sure && named ? BOOST.name : BOOST.guess
          if (!keys.has(key) || keys.get(key).boost < boost)
            keys.set(key, { boost, label })
        }
      }
      const covered = new Array(units.length).fill(false)
      const hanNamed = new Array(raw.length).fill(false)  // Chinese characters of a name found
      const drugs = new Set()
      for (const m of this.names(units)) {
        const label = raw.slice(units[m.start].start, units[m.end - 1].end)
        addKeys(m.keys, true, label)
        m.keys.forEach(k => drugs.add(k.key))
        for (let i = m.start; i < m.end; i++) {
          covered[i] = true
          if (HAN_CHAR.test(units[i].text))
            hanNamed[units[i].start] = true
        }
      }

      // Latin: compounds, words, guessed INNs
      const latin = []
      const labels = {}
      const inCompound = new Array(units.length).fill(false)
      for (const c of compounds(raw)) {
        latin.push({ text: c.term, keep: true })
        labels[c.term] = raw.slice(c.start, c.end)
        if (c.head.length > 1)
          latin.push({ text: c.head, keep: true })
        units.forEach((u, i) => { if (u.start >= c.start && u.end <= c.end) inCompound[i] = true })
      }
      units.forEach((u, i) => {
        if (inCompound[i] || HAN_CHAR.test(u.text) || !/[a-z0-9]/.test(u.text))
          return
        if (covered[i] && (u.text.length < 2 || /^\d+$/.test(u.text)))
          return  // 'a' and 't' of 'A+T'
        latin.push({ text: covered[i] ? u.text : Reader.singular(u.text), keep: covered[i] })
        const guess = covered[i] ? null : this.guessInn(u.text)
        if (guess) {
          addKeys(guess, false, u.raw)
          guess.forEach(k => drugs.add(k.key))
        }
      })

      // Chinese: cut each run; the names found in it are known (this.names), the rest is text
      const han = []
      const chunks = new Set()
      for (const m of raw.matchAll(HAN_RUN)) {
        let at = m.index
        for (const piece of this.cut(m[0])) {
          const named = hanNamed.slice(at, at + piece.text.length).every(Boolean)
          at += piece.text.length
          if (this.lang === "en" && named)
            continue  // the English site has the name's key, not its Chinese words
          han.push({ text: piece.text, keep: piece.name, boost: piece.boost })
          if (piece.chunk)
            chunks.add(piece.chunk)
        }
      }
      for (const chunk of chunks) {
        const guess = this.guessHan(chunk)
        if (guess) {
          addKeys(guess, false, chunk)
          guess.forEach(k => drugs.add(k.key))
        }
      }

      // the drugs of a regimen, typed together (and no regimen by its name): the regimen, not reported as
      // a word of the query; a guess unless they are all the drugs named (the records list a regimen's
      // drugs, not its classes: 'TACE plus lenvatinib and a PD-1 inhibitor' has the components of 'TACE
      // plus lenvatinib')
      if (![...keys.keys()].some(k => this.regimenKeys.has(k))) {
        const named = [...drugs].filter(k => k.startsWith("_d"))
        for (const [key, components] of this.regimens)
          if (components.every(k => drugs.has(k))) {
            const all = named.every(k => components.includes(k)) && this.plain.has(key)
            addKeys([{ key, sure: all }], all, null)
          }
      }

      // function words and lone characters leave a query that has other words
      const text = [...latin, ...han]
      const minor = t => !t.keep && (this.stop.has(t.text) || (HAN_CHAR.test(t.text) && t.text.length === 1))
      const kept = keys.size || text.some(t => !minor(t)) ? text.filter(t => !minor(t)) : text
      // a term with a boost keeps its wildcard ('双免疫*^3': material adds none after a boost)
      const terms = [...new Set(kept.map(t => t.boost ? `${t.text}*^${t.boost}` : t.text))]
      for (const [key, { boost, label }] of keys) {
        terms.push(`${key}^${boost}`)
        labels[key] = label
      }
      return { query: terms.join(" ") || query, labels, typed: query }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Results
  // ------------------------------------------------------------------------------------------------

  /* The result of one query: the query's words in place of keys; on the root page, each page's
     language shown, and of two pages as good, the one in the query's language first */
  function finish(result, read, root) {
    if (root && result.items) {
      const mine = HAN_CHAR.test(read.typed || "") ? "zh" : "en"
      const score = group => Math.max(...group.map(d => d.score)) * (group[0].hcclang === mine ? ROOT_OWN : 1)
      result.items = result.items.map(group => [score(group), group]).sort((a, b) => b[0] - a[0]).map(x => x[1])
    }
    for (const group of result.items || [])
      for (const doc of group) {
        const terms = {}
        for (const [term, found] of Object.entries(doc.terms || {})) {
          const label = term in read.labels ? read.labels[term] : term
          if (label !== null)
            terms[label] = Boolean(terms[label]) || found
        }
        doc.terms = terms
        const lang = LANGS[doc.hcclang]
        if (root && lang) {
          doc.title = `<span lang="${lang.html}">${doc.title}</span>`
          if (doc.text)
            doc.text = `<div lang="${lang.html}">${doc.text}</div>`
          if (!doc.location.includes("#"))
            doc.tags = [`<span lang="${lang.html}">${lang.tag}</span>`]
        }
        delete doc.hcclang
      }
    return result
  }

  /* The root page's index: the language indexes it names, each document's location under its language
     folder (relative to the site root, as the root page's links are). From disk (no requests from
     file:// pages), each index's script ("var __index = …", generator/site/offline.py), one after the other. */
  async function merged(data, merge, base, fromDisk) {
    const parts = []
    if (fromDisk) {
      for (const [lang, path] of Object.entries(merge)) {
        await importScripts(new URL(path.replace(/\.json$/, ".js"), base).href)
        parts.push([lang, self.__index])
      }
    } else {
      parts.push(...await Promise.all(Object.entries(merge).map(async ([lang, path]) =>
        [lang, await (await fetch(new URL(path, base))).json()])))
    }
    const config = { ...parts[0][1].config, hcc: { ...parts[0][1].config.hcc, lang: "*" } }
    const docs = []
    for (const [lang, index] of parts)
      for (const doc of index.docs)
        docs.push({ ...doc, location: `${lang}/${doc.location}`, hcclang: lang })
    return { ...data, config, docs }
  }

  // ------------------------------------------------------------------------------------------------
  // The worker
  // ------------------------------------------------------------------------------------------------

  self.hccSearch = { Reader, squash, compounds, finish }
  if (typeof self.hccNoWorker !== "undefined")
    return  // loaded for its functions only (tests)

  // This file's address (in a copy of the site opened from disk, the worker runs in a frame of the page,
  // assets/javascripts/offline.js: the address of the frame's first script, this one)
  const script = typeof document !== "undefined" && document.querySelector("script[src]")
  const here = script ? script.src : self.location.href
  const siteRoot = new URL("../../../", here)
  const fromDisk = siteRoot.protocol === "file:"

  // mkdocs-material's worker, its message listener kept to be called with the queries as read here
  // (importScripts loads at once in a worker; in the frame it returns a promise)
  const listeners = []
  const addEventListener = self.addEventListener
  self.addEventListener = (type, fn, options) => type === "message"
    ? listeners.push(fn)
    : addEventListener.call(self, type, fn, options)
  let built = null  // its index, when built: what the query reader looks Chinese up in
  const material = Promise.resolve(importScripts(new URL(MATERIAL_WORKER, here).href)).then(() => {
    self.addEventListener = addEventListener
    const build = self.lunr.Builder.prototype.build
    self.lunr.Builder.prototype.build = function () {
      built = build.call(this)
      return built
    }
  })

  let reader = null, hcc = {}
  const reads = []  // the queries sent on, oldest first (mkdocs-material answers them in order)
  const postMessage = self.postMessage
  self.postMessage = message => {
    if (message && message.type === 3)
      message = { ...message, data: finish(message.data, reads.shift() || { labels: {} }, hcc.lang === "*") }
    postMessage.call(self, message)
  }
  const send = message => listeners.forEach(fn => fn({ data: message }))

  addEventListener.call(self, "message", async ev => {
    const message = ev.data
    await material
    if (message.type === 0) {  // SETUP
      let data = message.data
      hcc = (data.config && data.config.hcc) || {}
      if (hcc.merge) {
        data = await merged(data, hcc.merge, siteRoot, fromDisk)
        hcc = data.config.hcc
      }
      reader = null
      send({ ...message, data })
    } else if (message.type === 2) {  // QUERY
      if (!reader && built)
        reader = new Reader(hcc, built)
      const read = reader ? reader.read(message.data) : { query: message.data, labels: {}, typed: message.data }
      reads.push(read)
      self.hccLastRead = read  // for tests/browser/worker_harness.js
      send({ ...message, data: read.query })
    } else {
      send(message)
    }
  })
})()
