"""Bot commands: `/stats@lake_stats_bot` in a group, the bot's answer, and button clicks.

The bot's answer (with an inline keyboard) is never delivered to the bot itself, but it
becomes the reply target of later messages and the `message` of each `callback_query`; a
click more than 48 hours later carries an InaccessibleMessage (date 0), as documented.
Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj, as_reply_target, message_envelope
from samples.cast import LAKE_BOT, Chat, Person, Topic
from samples.entities import render_static
from samples.texts import BOT_COMMANDS
from samples.world import World

P_COMMAND = 0.02  # of text messages by people in groups
STATS_KEYBOARD: JsonObj = {
    "inline_keyboard": [
        [
            {"text": "Hoje", "callback_data": "stats:day"},
            {"text": "Semana", "callback_data": "stats:week"},
        ],
        [{"text": "Top 10 🏆", "callback_data": "top:10"}],
    ]
}
CALLBACK_DATA = ("stats:day", "stats:week", "top:10")


def command(world: World, chat: Chat, t: float, user: Person, thread: Topic | None) -> None:
    """`/stats@bot`, the bot's (undelivered) answer with buttons, then button clicks."""
    rng = world.rng
    name = rng.choice(BOT_COMMANDS)
    mention = "@" + LAKE_BOT["username"] if rng.random() < 0.6 else ""
    text, entities = render_static(name + mention)
    thread_id = thread.thread_id if thread else None
    msg = message_envelope(chat.take_id(), user.obj, thread_id)
    msg["chat"] = chat.obj
    msg["date"] = int(t)
    if thread is not None:
        msg["reply_to_message"] = thread.root
    msg["text"] = text
    msg["entities"] = entities
    if thread is not None:
        msg["is_topic_message"] = True
    world.emit(t, "message", msg)
    chat.remember(thread, msg)
    answer = message_envelope(chat.take_id(), LAKE_BOT, thread_id)
    answer["chat"] = chat.obj
    answer["date"] = int(t + 1)
    answer["reply_to_message"] = as_reply_target(msg)
    answer["text"] = "📊 Estatísticas do grupo: escolha o período"
    answer["reply_markup"] = STATS_KEYBOARD
    if thread is not None:
        answer["is_topic_message"] = True
    chat.remember(thread, answer)
    for _ in range(rng.randrange(0, 4)):
        clicker = chat.pick_member(rng)
        late = rng.random() < 0.05
        delay = 3 * 86400 if late else 3 + rng.expovariate(1 / 120)
        data = rng.choice(CALLBACK_DATA)

        def click(when: float, clicker: Person = clicker, data: str = data) -> None:
            if not world.still_open(chat, msg):
                return
            message: JsonObj = answer
            query_id = world.next_callback_id()
            if when - t > 2 * 86400:
                # Older than 48 h: documented InaccessibleMessage (date 0).
                message = {"chat": chat.obj, "message_id": answer["message_id"], "date": 0}
            query = {
                "id": str(query_id),
                "from": clicker.obj,
                "message": message,
                "chat_instance": chat.chat_instance,
                "data": data,
            }
            world.emit(when, "callback_query", query)

        world.schedule(t + 1 + delay, click)
