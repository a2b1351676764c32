-- grain: one row per chat id that a group migration replaced (chat_id), with the id the
-- chat is reported under (canonical_chat_id, the end of its migration chain).
-- reads: chat_migrations (curated table).
-- A basic group upgraded to a supergroup gets a new id; every view reports both ids' data
-- under the newest one. One migration may be reported twice (possibly in two dt
-- partitions): each old id keeps its earliest report (migrated_at, then update_id). Chains
-- are followed to their end, up to 6 hops (Telegram upgrades a group once: one hop in
-- practice; Athena allows recursion 10 deep). A chain that runs into a cycle is not
-- followed at all: its chats keep their own ids. Chats that never migrated have no row.
with recursive

ranked_migrations as (
    select
        from_chat_id,
        to_chat_id,
        row_number() over (
            partition by from_chat_id
            order by migrated_at asc, update_id asc
        ) as report_rank
    from chat_migrations
    where
        from_chat_id is not null
        and to_chat_id is not null
        and from_chat_id <> to_chat_id
),

migrations as (
    select
        from_chat_id,
        to_chat_id
    from ranked_migrations
    where report_rank = 1
),

chains (chat_id, end_chat_id, hops, visited) as (
    select
        from_chat_id as chat_id,
        to_chat_id as end_chat_id,
        1 as hops,
        array[from_chat_id, to_chat_id] as visited
    from migrations
    union all
    select
        chains.chat_id,
        migrations.to_chat_id as end_chat_id,
        chains.hops + 1 as hops,
        concat(chains.visited, array[migrations.to_chat_id]) as visited
    from chains
    inner join migrations on chains.end_chat_id = migrations.from_chat_id
    where chains.hops < 6 and not contains(chains.visited, migrations.to_chat_id)
),

chain_ends as (
    select
        chat_id,
        max_by(end_chat_id, hops) as end_chat_id,
        max_by(visited, hops) as visited,
        max(hops) as hops
    from chains
    group by chat_id
)

select
    chain_ends.chat_id,
    chain_ends.end_chat_id as canonical_chat_id,
    chain_ends.hops
from chain_ends
left join migrations as next_hops on chain_ends.end_chat_id = next_hops.from_chat_id
-- The end's next hop leads back into the chain: a cycle.
where not coalesce(contains(chain_ends.visited, next_hops.to_chat_id), false)
