// DESIGN.md's scale for `npm run bench` (BENCH_SCALE=1): 100k fabrics, 1M orders over two years
// and 2M analytics rows, written set-based by the database itself.
import { sql } from 'drizzle-orm'
import type { Database } from '~/services/db.server'

/** Synthetic rows at the scale the budgets name, written set-based by the database itself. */
export async function loadScale(db: Database) {
  await db.execute(sql`
    insert into fabrics (name, sku, description, category, subcategory, composition, tags, price, stock_quantity, in_stock)
    select c.colour || ' ' || c.pattern || ' ' || c.kind || ' ' || g, 'SC-' || g,
           c.colour || ' ' || lower(c.pattern) || ' ' || lower(c.kind) || ' in ' || lower(c.fibre) || ', cut from the bolt.',
           c.fibre, c.kind, '100% ' || lower(c.fibre),
           jsonb_build_array(lower(c.pattern), lower(c.kind), lower(c.fibre), case when g % 3 = 0 then 'quilting' else 'dressmaking' end),
           (g % 50) + 0.5, g % 120, g % 120 > 0
    from generate_series(1, 100000) g,
    lateral (select (array['Indigo','Mustard','Sage','Blush','Charcoal','Terracotta','Cream','Teal'])[1 + g % 8] as colour,
                    (array['Floral','Gingham','Polka Dot','Botanical','Stripe','Solid','Paisley','Geometric','Toile'])[1 + g / 8 % 9] as pattern,
                    (array['Quilting Cotton','Double Gauze','Canvas','Voile','Jersey','Flannel','Chambray','Velvet'])[1 + g / 72 % 8] as kind,
                    (array['Linen','Cotton','Silk','Wool','Rayon','Hemp'])[1 + g / 576 % 6] as fibre) c`)
  // A busy shop's two years (1,440 orders a day, one a minute; order numbers follow time):
  // 250k customers with emails, one in three from Etsy, one to three lines each. Recent orders
  // are open, older ones delivered, a few old ones still open (overdue), one in 33 cancelled.
  await db.execute(sql`
    insert into orders (customer_name, customer_email, status, items, total_amount, shipping_amount, tax_amount,
                        etsy_order_id, shipping_address, carrier, tracking_number, notes, created_at)
    select c.name, c.email, s.status::order_status, l.items, l.subtotal + 4.50 + l.tax, 4.50, l.tax,
           case when g % 3 = 0 then (2000000000 + g)::text end, -- apart from the ids of the import bench (3000000000 on)
           jsonb_build_object('name', c.name, 'line1', (1 + g % 180) || ' High Street', 'city', 'Bristol',
                              'postalCode', 'BS6 5QA', 'country', (array['GB','GB','GB','GB','GB','GB','IE','FR','DE','US'])[1 + g % 10]),
           case when s.status in ('shipped', 'delivered') then 'Royal Mail' end,
           case when s.status in ('shipped', 'delivered') then 'RM' || g || 'GB' end,
           case when g % 50 = 0 then 'Please cut in one continuous length.' end,
           now() - make_interval(mins => g)
    from generate_series(1000000, 1, -1) g
    cross join lateral (
      select case when g % 33 = 0 then 'cancelled'
                  when g < 1440 or g % 1000 = 1 then 'pending'
                  when g < 2880 or g % 1000 = 2 then 'processing'
                  when g < 10080 then 'shipped' else 'delivered' end as status) s
    cross join lateral (
      select f.first || ' ' || f.last as name,
             lower(f.first) || (array['.', '_', ''])[1 + k.k % 3] || lower(regexp_replace(f.last, '[^A-Za-z]', '', 'g'))
               || (k.k / 4800) || '@' || (array['example.com','example.org','example.net','mail.example.com'])[1 + k.k % 4] as email
      from (select (g::bigint * 7919) % 250000 as k) k,
      lateral (select (array['Amelia','Olivia','Isla','Freya','Grace','Hannah','Ruth','Maeve','Siobhan','Aisha',
                             'Fatima','Mei','Chloe','Lea','Anke','Sanne','Emily','Sarah','Jess','Rosa',
                             'James','Oliver','Rahul','Daniel','Ewan','Niamh','Harriet','Zara','Lucy','Beth',
                             'Noah','Leo','Arlo','Theo','Finn','Ivy','Ada','Nora','Elsie','Mabel',
                             'Priya','Anjali','Yusuf','Omar','Kofi','Ama','Sofia','Lucia','Marta','Ines',
                             'Hugo','Jules','Lars','Sven','Kenji','Yuki','Tomas','Pavel','Rhys','Cerys'])[1 + k.k % 60] as first,
                      (array['Taylor','Brown','Wilson','Evans','Hughes','Patel','Khan','O''Connor','Murphy','Campbell',
                             'Stewart','Okafor','Nowak','Martin','Dubois','Schmidt','de Vries','Jenkins','Clarke','Lewis',
                             'Morgan','Chen','Ahmed','Walsh','Reid','Smith','Jones','Williams','Davies','Roberts',
                             'Thomas','Johnson','Walker','Wright','Robinson','Thompson','White','Edwards','Green','Hall',
                             'Wood','Harris','Martinez','Garcia','Rossi','Bianchi','Costa','Silva','Santos','Ferreira',
                             'Novak','Horvat','Kowalski','Jansen','Bakker','Visser','Berg','Larsen','Nielsen','Hansen',
                             'Sato','Suzuki','Tanaka','Kim','Lee','Park','Nguyen','Tran','Singh','Kaur',
                             'Mensah','Boateng','Adeyemi','Mwangi','Cohen','Levi','Murray','Kelly','Byrne','Doyle'])[1 + k.k / 60 % 80] as last) f
    ) c
    cross join lateral (
      select jsonb_agg(jsonb_build_object('fabricId', null, 'name', 'Fabric ' || p.f, 'sku', 'SC-' || p.f, 'unitPrice', p.price::text,
                                          'quantity', p.qty, 'lineTotal', (p.price * p.qty)::text)) as items,
             sum(p.price * p.qty) as subtotal, round(sum(p.price * p.qty) * 0.2, 2)::numeric(10,2) as tax
      from generate_series(1, 1 + abs(hashint4(g)) % 3) n,
      lateral (select abs(hashint4(g * 4 + n)) as h) hh,
      lateral (select h % 500 as f, (8.5 + h / 500 % 20)::numeric(10,2) as price, 1 + h / 10000 % 4 as qty) p
    ) l`)
  await db.execute(sql`
    insert into analytics (metric_type, metric_value, date, platform)
    select 'scale_' || (g % 200), jsonb_build_object('value', g % 1000),
           current_date - (g / 200 % 10000), 'shop'
    from generate_series(1, 2000000) g`)
  await db.execute(sql`vacuum analyze`)
}
