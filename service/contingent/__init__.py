"""Movement of the contingent in the service: the database side of :mod:`models.contingent`.

- :mod:`service.contingent.history`: each student's status history (entries, the state on a day);
- :mod:`service.contingent.policy`: the university's movement policy as stored;
- :mod:`service.contingent.orders`: registering an order (every item checked, then all applied or none)
  and cancelling one by another order;
- :mod:`service.contingent.applications`: applications and their review;
- :mod:`service.contingent.reports` and :mod:`service.contingent.exports`: the movement report, the
  contingent on a day, the state form, the lists of students on leave and expelled; CSV and Excel;
- :mod:`service.contingent.demo`: a year of movement orders for ``registrar demo-data``.

The API blueprints are in :mod:`service.records` (``orders``, ``applications``, ``contingent``), the
web pages in :mod:`service.web.contingent`, the command line in :mod:`service.contingent_cli`.
"""
