import { createContext } from 'react'

/** Set by entry.server when the database did not answer, so the error page can say so. */
export const DatabaseUnavailable = createContext(false)
