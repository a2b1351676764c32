-- grain: one row per chat per local day per join source (chat_id, day, join_source) with
-- at least one join; chat_id is the canonical chat.
-- reads: stg_joins.
-- joins counts the people who joined (bots left out), once per person, chat and local day:
-- a join reported twice (a new_chat_members message and a chat_member update) counts
-- once, from the chat_member report, which names the link and the request. join_source,
-- first that applies: join_request (approved join request), folder_link (chat folder
-- invite link), invite_link (an invite link), added (someone else added them), self (they
-- joined on their own, e.g. by the public username). The joins of a day add up to
-- membership_daily's joins.
select
    chat_id,
    day,
    join_source,
    count(*) as joins
from stg_joins
group by chat_id, day, join_source
