"""The words printed on documents, in Kazakh (``kk``), Russian (``ru``) and English (``en``)."""

from __future__ import annotations

LANGUAGES = ("kk", "ru", "en")

LABELS: dict[str, dict[str, str]] = {
    "transcript": {"kk": "Академиялық транскрипт", "ru": "Академический транскрипт", "en": "Academic transcript"},
    "academic_certificate": {"kk": "Академиялық анықтама", "ru": "Академическая справка",
                             "en": "Academic certificate"},
    "study_certificate": {"kk": "Оқу орнынан анықтама", "ru": "Справка с места учёбы", "en": "Certificate of study"},
    "student_card": {"kk": "Студенттік билет", "ru": "Студенческий билет", "en": "Student card"},
    "diploma_supplement": {"kk": "Дипломға қосымша", "ru": "Приложение к диплому", "en": "Diploma supplement"},
    "full_name": {"kk": "Аты-жөні", "ru": "Фамилия, имя, отчество", "en": "Full name"},
    "iin": {"kk": "ЖСН", "ru": "ИИН", "en": "IIN"},
    "birth_date": {"kk": "Туған күні", "ru": "Дата рождения", "en": "Date of birth"},
    "programme": {"kk": "Білім беру бағдарламасы", "ru": "Образовательная программа", "en": "Programme"},
    "admission_year": {"kk": "Түскен жылы", "ru": "Год поступления", "en": "Year of admission"},
    "study_form": {"kk": "Оқу нысаны", "ru": "Форма обучения", "en": "Form of study"},
    "group": {"kk": "Топ", "ru": "Группа", "en": "Group"},
    "semester": {"kk": "Семестр", "ru": "Семестр", "en": "Semester"},
    "code": {"kk": "Код", "ru": "Код", "en": "Code"},
    "discipline": {"kk": "Пән", "ru": "Дисциплина", "en": "Discipline"},
    "credits": {"kk": "Кредит", "ru": "Кредиты", "en": "Credits"},
    "ects": {"kk": "ECTS", "ru": "ECTS", "en": "ECTS"},
    "percent": {"kk": "Пайыз", "ru": "Процент", "en": "Percent"},
    "letter": {"kk": "Әріптік баға", "ru": "Буквенная оценка", "en": "Letter"},
    "points": {"kk": "Балл", "ru": "Баллы", "en": "Points"},
    "gpa": {"kk": "GPA", "ru": "GPA", "en": "GPA"},
    "semester_gpa": {"kk": "Семестр GPA", "ru": "GPA за семестр", "en": "Semester GPA"},
    "total_credits": {"kk": "Барлық игерілген кредит", "ru": "Всего освоено кредитов", "en": "Credits earned"},
    "number": {"kk": "Тіркеу нөмірі", "ru": "Регистрационный номер", "en": "Registered number"},
    "code_label": {"kk": "Тексеру коды", "ru": "Код проверки", "en": "Verification code"},
    "issued_on": {"kk": "Берілген күні", "ru": "Дата выдачи", "en": "Date of issue"},
    "valid_until": {"kk": "Жарамды мерзімі", "ru": "Действителен до", "en": "Valid until"},
    "verify": {"kk": "Түпнұсқалығын тексеру", "ru": "Проверка подлинности", "en": "Verify at"},
    "registrar": {"kk": "Тіркеу кеңсесінің басшысы", "ru": "Руководитель офиса регистратора",
                  "en": "Head of the Office of the Registrar"},
    "rector": {"kk": "Ректор", "ru": "Ректор", "en": "Rector"},
    "photo": {"kk": "Фото 3x4", "ru": "Фото 3x4", "en": "Photo 3x4"},
    "left_on": {"kk": "Оқудан шығарылған күні", "ru": "Дата отчисления", "en": "Left on"},
    "order": {"kk": "Бұйрық", "ru": "Приказ", "en": "Order"},
    "no_results": {"kk": "Бағаланған пәндер жоқ", "ru": "Нет оценённых дисциплин", "en": "No graded disciplines"},
    "year_of_study": {"kk": "Курс", "ru": "Курс", "en": "Year of study"},
    "funding": {"kk": "Қаржыландыру", "ru": "Финансирование", "en": "Funding"},
    "full_time": {"kk": "күндізгі", "ru": "очная", "en": "full-time"},
    "part_time": {"kk": "сырттай", "ru": "заочная", "en": "part-time"},
    "distance": {"kk": "қашықтықтан", "ru": "дистанционная", "en": "distance"},
    "state_grant": {"kk": "мемлекеттік білім беру гранты", "ru": "государственный образовательный грант",
                    "en": "state educational grant"},
    "paid": {"kk": "ақылы негізде", "ru": "на платной основе", "en": "paid tuition"},
    "bachelor": {"kk": "бакалавриат", "ru": "бакалавриат", "en": "bachelor's degree"},
    "master": {"kk": "магистратура", "ru": "магистратура", "en": "master's degree"},
    "doctorate": {"kk": "докторантура", "ru": "докторантура", "en": "doctoral degree"},
}  # fmt: skip

STUDY_CERTIFICATE_TEXT = {
    "kk": "Осы анықтама {name} {on} жағдай бойынша {programme} білім беру бағдарламасының {year} курс студенті "
    "екенін растайды ({form} оқу нысаны, {funding}).",
    "ru": "Настоящая справка подтверждает, что {name} по состоянию на {on} является студентом {year} курса "
    "образовательной программы {programme} ({form} форма обучения, {funding}).",
    "en": "This is to certify that {name} is, on {on}, a year {year} student of the programme {programme} "
    "({form}, {funding}).",
}
"""The sentence of a certificate of study (placeholders: name, on, year, programme, form, funding)."""


def label(key: str, language: str) -> str:
    """The word ``key`` in ``language`` (the key itself if it has no entry)."""
    return LABELS.get(key, {}).get(language, key)
