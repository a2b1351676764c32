-- grain: one row per chat per local week per word (chat_id, week_start, word), the 20 most
-- frequent words of each chat and week; chat_id is the canonical chat.
-- reads: stg_messages, stg_stop_words.
-- Words of activity messages' text or caption (people, anonymous admins, a channel's own
-- posts; not bots, system messages, automatic forwards or posts made as a channel inside
-- a group), each message counted once whatever its edits: lowercased; links, @mentions and /commands
-- removed; a word is a run of letters (punctuation, digits and emoji split or drop it); words
-- shorter than 3 letters, Portuguese and English stop words and laughter (kkkk, haha, rsrs)
-- are dropped. week_start is the Monday of the local week. occurrences counts every use;
-- word_rank is 1..20 by occurrences, ties broken alphabetically.
with

lowered as (
    select
        chat_id,
        week_start,
        lower(text) as lower_text
    from stg_messages
    where is_activity and text is not null
),

texts as (
    select
        chat_id,
        week_start,
        regexp_extract_all(
            -- Most messages hold no link, mention or command: skip the costly replace.
            case
                when
                    strpos(lower_text, '/') > 0
                    or strpos(lower_text, '@') > 0
                    or strpos(lower_text, 'www.') > 0
                    then regexp_replace(
                        lower_text,
                        '(https?://|www\.)\S+|@\w+|(^|\s)/\w+(@\w+)?',
                        ' '
                    )
                else lower_text
            end,
            '\p{L}+'
        ) as text_words
    from lowered
),

words as (
    select
        texts.chat_id,
        texts.week_start,
        extracted.word
    from texts
    cross join unnest(texts.text_words) as extracted (word)
),

kept_words as (
    select
        chat_id,
        week_start,
        word
    from words
    where
        length(word) >= 3
        and not regexp_like(word, '^(k|ha|he|hi|hu|rs|lol)+$')
        and word not in (select stg_stop_words.word from stg_stop_words)
),

counted as (
    select
        chat_id,
        week_start,
        word,
        count(*) as occurrences
    from kept_words
    group by chat_id, week_start, word
),

ranked as (
    select
        chat_id,
        week_start,
        word,
        occurrences,
        row_number() over (
            partition by chat_id, week_start
            order by occurrences desc, word asc
        ) as word_rank
    from counted
)

select
    chat_id,
    week_start,
    word,
    occurrences,
    word_rank
from ranked
where word_rank <= 20
