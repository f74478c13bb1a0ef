// Hashtags are typed as "#linen #sewing" or "linen, sewing" (or both) and kept as a jsonb
// array: without '#', lower-cased (Instagram treats #Linen and #linen as one), each once, in
// the order first given.

/** Letters (any script), digits and underscores: what the platforms accept in a hashtag. */
export const HASHTAG = /^[\p{L}\p{N}_]+$/u

export interface ParsedHashtags {
  tags: string[]
  /** Words that cannot be hashtags (punctuation, emoji…), as typed. */
  invalid: string[]
}

/** "#Linen #sewing, linen  #new-in" → tags ["linen", "sewing"], invalid ["#new-in"] */
export function parseHashtags(text: string | null | undefined): ParsedHashtags {
  const seen = new Set<string>()
  const invalid: string[] = []
  for (const word of (text ?? '').split(/[\s,]+/)) {
    if (!word) continue
    const tag = word.replace(/^#+/, '').normalize('NFC').toLowerCase()
    if (!tag) continue
    if (HASHTAG.test(tag)) seen.add(tag)
    else invalid.push(word)
  }
  return { tags: [...seen], invalid }
}

/** ["linen", "sewing"] → "#linen #sewing" */
export function formatHashtags(tags: readonly string[]): string {
  return tags.map((t) => `#${t}`).join(' ')
}
