"""The academic rules of the records service, over the database: settings (grading policy, credit
limits), course registration and sections, grade sheets, standing (GPA, rankings, transfer) and
calendar monitoring. The blueprints in :mod:`service.records` are thin wrappers around these modules;
the pure rules they apply live in :mod:`models` (:mod:`models.grading`, :mod:`models.grade_sheet`,
:mod:`models.registration_rules`)."""
