// Any address no other route matches: a real 404 inside the app shell.
export async function loader() {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return null
}
