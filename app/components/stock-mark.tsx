/** "out" at zero, "low" at or under the fabric's own threshold, nothing otherwise. */
export function StockMark({ quantity, threshold }: { quantity: number; threshold: number }) {
  if (quantity === 0) return <span className="mark mark-out">out</span>
  if (quantity <= threshold) return <span className="mark mark-low">low</span>
  return null
}
