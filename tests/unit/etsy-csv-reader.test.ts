import { parse as parseSync } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { fastRecords } from '~/models/etsy/csv-stager.server'

const OPTIONS = { bom: true, relax_column_count: true, max_record_size: 1_000_000 }

/** What csv-parse gives for `text`: its records, or its error's code and row count. */
function csvParse(text: string) {
  try {
    return { records: parseSync(text, OPTIONS) as string[][] }
  } catch (error) {
    const e = error as { code?: string; records?: number }
    return { error: { code: e.code, records: e.records } }
  }
}

/** What the fast reader gives for `text` split into `chunks` pieces at random places. */
async function fastRead(text: string, cuts: number[]) {
  const pieces: string[] = []
  let at = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    pieces.push(text.slice(at, cut))
    at = cut
  }
  pieces.push(text.slice(at))
  async function* chunks() {
    for (const piece of pieces) yield piece
  }
  const records: string[][] = []
  try {
    for await (const record of fastRecords(chunks()[Symbol.asyncIterator](), OPTIONS)) records.push(record)
    return { records }
  } catch (error) {
    const e = error as { code?: string; records?: number }
    return { error: { code: e.code, records: e.records } }
  }
}

// A tiny deterministic generator, so that a failure can be run again.
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const PIECES = ['a', 'bc', 'Café', '£12', ',', ',', '"', '""', '\r\n', '\r\n', '\n', '\r', ' ', '"x,y"', '"l1\r\nl2"', '\uFEFF', '']

describe('the CSV reader', () => {
  it('reads plain files as csv-parse does, whatever the chunks', async () => {
    const text = '\uFEFFTITLE,DESCRIPTION,PRICE\r\n"Linen, blue","Soft\r\nand ""washed""",12.00\r\nPlain,,3\r\n"",x,\r\nlast,"q"'
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await fastRead(text, [cut])).toEqual(csvParse(text))
    }
  })

  it('gives what csv-parse gives for anything at all: records, or the same error at the same row', async () => {
    const rand = random(21)
    for (let n = 0; n < 3000; n++) {
      const parts: string[] = []
      const count = 1 + Math.floor(rand() * 30)
      for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(rand() * PIECES.length)]!)
      const text = parts.join('')
      const cuts = Array.from({ length: Math.floor(rand() * 4) }, () => Math.floor(rand() * (text.length + 1)))
      const expected = csvParse(text)
      const got = await fastRead(text, cuts)
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        expect({ text, cuts, got }).toEqual({ text, cuts, got: expected })
      }
    }
  })

  it('leaves a record longer than the limit to csv-parse, which refuses it', async () => {
    const text = `a,b\r\n${'x'.repeat(1_100_000)},c\r\n`
    expect(await fastRead(text, [70_000, 500_000])).toEqual(csvParse(text))
  })
})
