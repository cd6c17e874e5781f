"""The home page leads residents to the parts of Omzien that this installation has."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HomeTask:
    url_name: str
    title: str | Promise
    text: str | Promise


# In the order a resident needs them.
HOME_TASKS = [
    HomeTask(
        "directory:search",
        _("Hulp en activiteiten zoeken"),
        _("Zoek iemand om mee te praten, een activiteit of hulp in huis."),
    ),
    HomeTask(
        "cases:report",
        _("Ik maak me zorgen om iemand"),
        _("Meld het in één minuut. Een consulent neemt contact op."),
    ),
]


def home_tasks() -> list[dict[str, object]]:
    tasks: list[dict[str, object]] = []
    for task in HOME_TASKS:
        tasks.append({"url": reverse(task.url_name), "title": task.title, "text": task.text})
    return tasks
