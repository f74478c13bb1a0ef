import { createContext } from 'react'

/** Set by entry.server when the database did not answer, so the error page can say so. */
export const DatabaseUnavailable = createContext(false)

/** This response's Content-Security-Policy nonce (entry.server), for inline <style> and <script>. */
export const CspNonce = createContext<string | undefined>(undefined)
