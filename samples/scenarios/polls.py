"""Polls that change: members add answer options, the poll's author deletes one.

Since Bot API 9.6 poll options have persistent ids and users may add options; each change
is a service message (`poll_option_added` / `poll_option_deleted`) from whoever made it,
carrying the option and the poll's message as it is after the change. Reads and writes
nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj, as_reply_target
from samples.cast import Chat, Person
from samples.media import poll_option
from samples.world import World

P_OPTION_ADDED = 0.5  # of regular polls
P_OPTION_DELETED = 0.5  # of polls with an added option: its author removes it again
EXTRA_OPTIONS = ("Outro 🤷", "Tanto faz", "Depende 😅", "Both!", "None of the above")


def service_in_place(msg: JsonObj, chat: Chat, sender: JsonObj, t: float) -> JsonObj:
    """The head of a service message about msg: same chat and forum topic, sent at t."""
    head: JsonObj = {"message_id": chat.take_id()}
    if "message_thread_id" in msg:
        head["message_thread_id"] = msg["message_thread_id"]
    head["from"] = sender
    head["chat"] = chat.obj
    head["date"] = int(t)
    return head


def schedule_option_changes(
    world: World, chat: Chat, msg: JsonObj, t: float, author: Person
) -> None:
    """Maybe a member adds an option to the poll in msg (sent at t), maybe it goes again."""
    rng = world.rng
    if msg["poll"]["type"] != "regular" or rng.random() >= P_OPTION_ADDED:
        return
    adder = chat.pick_member(rng, author.id)
    text = rng.choice(EXTRA_OPTIONS)
    deleted = rng.random() < P_OPTION_DELETED
    added_at = t + 60 + rng.expovariate(1 / 3600)

    def add(when: float) -> None:
        if not world.still_open(chat, msg):
            return
        poll = dict(msg["poll"])
        option = poll_option(len(poll["options"]), text)
        option["added_by_user"] = adder.obj
        option["addition_date"] = int(when)
        poll["options"] = [*poll["options"], option]
        current = {**msg, "poll": poll}
        fields = {"option_persistent_id": option["persistent_id"], "option_text": text}
        service = service_in_place(msg, chat, adder.obj, when)
        service["poll_option_added"] = {**fields, "poll_message": as_reply_target(current)}
        world.emit(when, "message", service)

        def remove(later: float) -> None:
            if not world.still_open(chat, msg):
                return
            after = {**current, "poll": {**poll, "options": poll["options"][:-1]}}
            gone = service_in_place(msg, chat, author.obj, later)
            gone["poll_option_deleted"] = {**fields, "poll_message": as_reply_target(after)}
            world.emit(later, "message", gone)

        if deleted:
            world.schedule(when + 300 + world.rng.expovariate(1 / 7200), remove)

    world.schedule(added_at, add)
