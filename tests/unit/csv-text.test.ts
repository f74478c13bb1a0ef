// The UTF-8 check of Etsy files: characters split between chunks, a byte order mark, and where
// the first bytes that are not UTF-8 are.
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { NotUtf8Error, utf8Check, utf8Prefix } from '~/models/etsy/csv-text.server'

/** The bytes through utf8Check, one chunk per array. */
const through = (chunks: number[][]) => buffer(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(utf8Check()))

describe('the UTF-8 check', () => {
  it('takes characters split between chunks, and a byte order mark, and passes the bytes as they are', async () => {
    const euro = [0xe2, 0x82, 0xac]
    const pound = [0xc2, 0xa3]
    const chunks = [[0xef, 0xbb], [0xbf, 0x41, ...euro.slice(0, 1)], [...euro.slice(1), pound[0]!], [pound[1]!]]
    expect((await through(chunks)).toString('utf8')).toBe('\ufeffA€£')
  })

  it('fails at bytes that are not UTF-8, in one chunk or across two, and at a character cut short at the end', async () => {
    await expect(through([[0x43, 0x61, 0x66, 0xe9, 0x20]])).rejects.toBeInstanceOf(NotUtf8Error)
    await expect(through([[0x43, 0xe2, 0x82], [0x41]])).rejects.toBeInstanceOf(NotUtf8Error)
    await expect(through([[0x43, 0xe2, 0x82]])).rejects.toBeInstanceOf(NotUtf8Error)
  })

  it('finds how much of the start is UTF-8', () => {
    expect(utf8Prefix(Buffer.from('Café £12'))).toBeNull()
    expect(utf8Prefix(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xa3]))).toBe(4)
    expect(utf8Prefix(Buffer.from([0x41, 0xa3, 0x42]))).toBe(1)
    expect(utf8Prefix(Buffer.from([0x41, 0xe2, 0x82]))).toBe(3)
    // An overlong "/" (C0 AF) is not UTF-8 either.
    expect(utf8Prefix(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1)
  })
})
