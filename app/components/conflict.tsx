// What an edit form shows when someone else saved first (nothing was written): the fields that
// differ, as saved now and as this user typed them. The form below keeps the user's values.
export interface ConflictField {
  label: string
  theirs: string
  yours: string
}

export function Conflict({ fields, thing }: { fields: ConflictField[]; thing: string }) {
  const differing = fields.filter((f) => f.theirs !== f.yours)
  return (
    <section className="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Changed by someone else</h2>
      <p>
        Your changes to this {thing} are still in the form below. Compare them with what is saved now, then save
        again to keep yours, or change the form first.
      </p>
      {differing.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Saved now (theirs)</th>
                <th scope="col">Yours</th>
              </tr>
            </thead>
            <tbody>
              {differing.map((f) => (
                <tr key={f.label}>
                  <th scope="row">{f.label}</th>
                  <td className="pre-wrap">{f.theirs || '—'}</td>
                  <td className="pre-wrap">{f.yours || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>They saved the same values as yours.</p>
      )}
    </section>
  )
}
