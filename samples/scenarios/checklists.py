"""Checklists: members tick a checklist's tasks, over the hours after it was sent.

Each tick is a `checklist_tasks_done` service message from whoever ticked, naming the
tasks marked as done (sometimes one unmarked again) and carrying the checklist's message
as it is after the change (done tasks name who completed them and when). Reads and writes
nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj, as_reply_target
from samples.cast import Chat
from samples.scenarios.polls import service_in_place
from samples.world import World

P_UNMARK = 0.15  # of ticks: a task marked by mistake is unmarked


def schedule_ticks(world: World, chat: Chat, msg: JsonObj, t: float) -> None:
    """One to four rounds of ticks on the checklist in msg (sent at t)."""
    rng = world.rng
    tasks = {task["id"]: dict(task) for task in msg["checklist"]["tasks"]}
    when = t
    for _ in range(rng.randrange(1, 5)):
        when += 300 + rng.expovariate(1 / 5400)

        def tick(at: float) -> None:
            if not world.still_open(chat, msg):
                return
            r = world.rng
            open_ids = [i for i, task in tasks.items() if "completed_by_user" not in task]
            done_ids = [i for i in tasks if i not in open_ids]
            if not open_ids:
                return
            who = chat.pick_member(r)
            marked = sorted(r.sample(open_ids, min(len(open_ids), r.choice((1, 1, 2)))))
            unmarked = [r.choice(done_ids)] if done_ids and r.random() < P_UNMARK else []
            for i in marked:
                tasks[i]["completed_by_user"] = who.obj
                tasks[i]["completion_date"] = int(at)
            for i in unmarked:
                tasks[i] = {"id": i, "text": tasks[i]["text"]}
            checklist = {**msg["checklist"], "tasks": list(tasks.values())}
            done: JsonObj = {"checklist_message": as_reply_target({**msg, "checklist": checklist})}
            done["marked_as_done_task_ids"] = marked
            if unmarked:
                done["marked_as_not_done_task_ids"] = unmarked
            service = service_in_place(msg, chat, who.obj, at)
            service["checklist_tasks_done"] = done
            world.emit(at, "message", service)

        world.schedule(when, tick)
