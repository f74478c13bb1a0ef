// Tags are typed as one comma-separated field and kept as a jsonb array of strings:
// trimmed, lower-cased, without duplicates, in the order first given.

/** "Linen, sage ,LINEN,," → ["linen", "sage"] */
export function parseTags(text: string | null | undefined): string[] {
  const seen = new Set<string>()
  for (const part of (text ?? '').split(',')) {
    const tag = part.trim().replace(/\s+/g, ' ').toLowerCase()
    if (tag) seen.add(tag)
  }
  return [...seen]
}

/** ["linen", "sage"] → "linen, sage" */
export function formatTags(tags: readonly string[]): string {
  return tags.join(', ')
}
