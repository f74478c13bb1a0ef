// Etsy's CSV files must be UTF-8 text. Bytes that are not (a file a spreadsheet saved as
// Windows-1252, say) used to be decoded anyway, and "Café £12" became "Caf� �12" without a word.
// Guessing the encoding instead would be a guess: Windows-1252, Latin-1 and Mac Roman bytes are
// all "valid", and nothing in the file says which it is. So the imports refuse such a file and
// name the first row that is not UTF-8, and the shop saves it again as UTF-8.
import { readFile } from 'node:fs/promises'
import { Transform } from 'node:stream'
import type { Options } from 'csv-parse'
import { parse } from 'csv-parse/sync'

/** Thrown (through the stream) by utf8Check at the first bytes that are not UTF-8. */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error'
  constructor() {
    super('The file is not UTF-8 text')
  }
}

const fatalDecoder = () => new TextDecoder('utf-8', { fatal: true })

/**
 * Passes the bytes through unchanged, checking on the way that they are UTF-8: a character
 * split between two chunks is fine, and so is a byte order mark (csv-parse's `bom` drops it).
 * Fails the stream with NotUtf8Error at the first chunk that is not.
 */
export function utf8Check(): Transform {
  const decoder = fatalDecoder()
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true })
      } catch {
        callback(new NotUtf8Error())
        return
      }
      callback(null, chunk)
    },
    flush(callback) {
      try {
        // The file must not end half-way through a character either.
        decoder.decode()
      } catch {
        callback(new NotUtf8Error())
        return
      }
      callback()
    },
  })
}

/**
 * Where the first bytes that are not UTF-8 are: the length of the longest start of `bytes` that
 * a UTF-8 decoder takes without complaint (perhaps ending in the first bytes of the character it
 * then fails on), or null when all of it is UTF-8.
 */
export function utf8Prefix(bytes: Uint8Array): number | null {
  // A decoder that streams holds back a character cut short at the end and only fails on what
  // cannot be UTF-8, so failing is monotone in the length: halve the range until it is found.
  const fails = (length: number) => {
    try {
      fatalDecoder().decode(bytes.subarray(0, length), { stream: true })
      return false
    } catch {
      return true
    }
  }
  if (!fails(bytes.length)) {
    try {
      fatalDecoder().decode(bytes)
      return null
    } catch {
      // Cut short at the very end.
      return bytes.length
    }
  }
  let [good, bad] = [0, bytes.length]
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2)
    if (fails(middle)) bad = middle
    else good = middle
  }
  // The byte at `good` is the one the decoder could not take: either not UTF-8 itself, or what
  // follows a character's first byte where the rest of it should be. Either way, what comes
  // before it ends in the row that holds the fault.
  return good
}

/**
 * The row (the header is row 1, and a row is a CSV record, however many lines its quoted values
 * span) that holds the file's first bytes that are not UTF-8, read with the import's own
 * csv-parse `options`; null when the whole file is UTF-8.
 */
export async function firstNonUtf8Row(file: string, options: Options): Promise<number | null> {
  const bytes = await readFile(file)
  const length = utf8Prefix(bytes)
  if (length === null) return null
  // The records of the bytes before the fault, plus one character, so that the row the fault is
  // in is a record of its own even when the fault starts it.
  const head = Buffer.concat([bytes.subarray(0, length), Buffer.from('x')])
  try {
    return (parse(head, options) as unknown[]).length
  } catch (error) {
    // The fault is inside a quoted value that (cut there) never closes: the rows before it were read.
    const records = (error as { records?: unknown }).records
    if (typeof records === 'number') return records + 1
    throw error
  }
}

/** What to tell the shop about a file that is not UTF-8; `fileName` when the upload had several. */
export async function notUtf8Problem({
  file,
  options,
  fileName,
}: {
  file: string
  options: Options
  fileName?: string
}): Promise<string> {
  const row = (await firstNonUtf8Row(file, options)) ?? 1
  return (
    `Row ${row}${fileName ? ` of ${fileName}` : ''} is not UTF-8 text (the file may have been saved as ` +
    'Windows-1252): save it as UTF-8 and upload it again.'
  )
}
