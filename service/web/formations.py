"""The page of a group formation: ``/timetables/formations/<id>`` (timetable staff, as the jobs page).

It shows the independent scorer's breakdown (hard violations per rule, objective terms: sections
against their lower bound, imbalance, splits and strays of academic groups...), then per discipline a
table of its sections (kind, name, language, size, the stream a practice group belongs to and the
practice groups a stream is made of), with links to the CSV and Excel downloads of the API
(:mod:`service.records.formations`). The finished ``groups`` job's row on ``/timetables`` links here.
"""

from __future__ import annotations

from itertools import groupby

from flask import render_template
from flask.typing import ResponseReturnValue

from service import db
from service.models import Period
from service.records.formations import find_formation
from service.timetabling import formations
from service.web.forms import LogoutForm
from service.web.pages import page
from service.web.timetables import TIMETABLE_STAFF, period_label


@page("/timetables/formations/<int:id>", roles=TIMETABLE_STAFF)
def group_formation(id: int) -> ResponseReturnValue:
    formation = find_formation(id)
    period = db.session().get_one(Period, formation.period_id)
    rows = formations.section_rows(formation)
    disciplines = [(code, list(sections)) for code, sections in groupby(rows, key=lambda r: r.discipline)]
    return render_template("web/timetables/formation.html", formation=formation, period=period,
                           period_label=period_label, disciplines=disciplines, exports=list(formations.EXPORTS),
                           logout_form=LogoutForm())  # fmt: skip
