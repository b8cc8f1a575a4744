"""Interop: the plan of events as an iCalendar file, read back by a real
iCalendar library (Debian's python3-icalendar). Every field of every event
is checked: UID, SEQUENCE after edits, STATUS for cancelled events, times
in the node's zone with its VTIMEZONE (a zone with summer time too), text
with the characters RFC 5545 escapes, and folding of long lines."""
import datetime

from network import S1, Network
from setevoe_test import main

try:
    import icalendar
except ImportError:  # a failure, not a skip: the interop is a promise
    raise SystemExit("python3-icalendar is missing: 'make test' installs it (apt-get install python3-icalendar)")

TITLE = "Семинар: оценивание; критерии, рубрики и \\ обратная связь"
DESCRIPTION = ("Программа:\n1. Вступление, цели.\n2. Практикум; работа в группах.\n"
               "Для учителей математики Гудермесского района — приносите ноутбуки.")


class Calendar(Network):
    def setUp(self):
        super().setUp()
        self.org = self.add_org(self.s1, S1)

    def add(self, db, *args):
        return self.ok("--format", "json", "event", "add", "--organiser", self.org, *args, db=db).json()

    def calendar(self, db, *args):
        out = self.path("plan.ics")
        self.ok("event", "ics", "-o", out, *args, db=db)
        with open(out, "rb") as f:
            data = f.read()
        return data, icalendar.Calendar.from_ical(data)

    def test_every_field_reads_back(self):
        seminar = self.add(self.s1, "--type", "seminar", "--title", TITLE, "--description", DESCRIPTION,
                           "--start", "10.12.2030 14:00", "--end", "10.12.2030 16:30",
                           "--place", "г. Гудермес, ул. Нагорная, 12, актовый зал", "--direction", "quality")
        webinar = self.add(self.s1, "--type", "webinar", "--title", "Вебинар", "--start", "11.12.2030 10:00",
                           "--url", "https://example.org/room?id=1")
        self.ok("event", "edit", seminar["id"], "--start", "10.12.2030 15:00", "--end", "10.12.2030 17:00",
                db=self.s1)
        self.ok("event", "edit", seminar["id"], "--place", "г. Гудермес, ул. Нагорная, 12, кабинет 21", db=self.s1)
        self.ok("event", "cancel", webinar["id"], "--reason", "болезнь лектора", db=self.s1)
        data, cal = self.calendar(self.s1)

        # Lines end with CRLF and are at most 75 octets.
        for line in data.split(b"\r\n"):
            self.assertLessEqual(len(line), 75, line)
            self.assertNotIn(b"\n", line)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertTrue(str(cal["PRODID"]).startswith("-//setevoe//"))
        zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
        self.assertEqual(zones, ["Europe/Moscow"])

        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        self.assertEqual(set(events), {seminar["id"] + "@setevoe", webinar["id"] + "@setevoe"})
        s = events[seminar["id"] + "@setevoe"]
        self.assertEqual(str(s["SUMMARY"]), TITLE)
        self.assertTrue(str(s["DESCRIPTION"]).startswith(DESCRIPTION + "\n"))
        self.assertIn("Organiser: " + S1, str(s["DESCRIPTION"]))
        self.assertEqual(str(s["LOCATION"]), "г. Гудермес, ул. Нагорная, 12, кабинет 21")
        self.assertEqual(int(s["SEQUENCE"]), 2)
        self.assertEqual(str(s["STATUS"]), "CONFIRMED")
        start, end = s["DTSTART"].dt, s["DTEND"].dt
        self.assertEqual(s["DTSTART"].params["TZID"], "Europe/Moscow")
        utc = datetime.timezone.utc
        self.assertEqual(start.astimezone(utc), datetime.datetime(2030, 12, 10, 12, 0, tzinfo=utc))
        self.assertEqual(end.astimezone(utc), datetime.datetime(2030, 12, 10, 14, 0, tzinfo=utc))
        shown = self.ok("--format", "json", "event", "show", seminar["id"], db=self.s1).json()
        self.assertEqual(s["DTSTAMP"].dt.strftime("%Y-%m-%dT%H:%M:%S"), shown["updated_at"][:19])
        self.assertEqual(s["CREATED"].dt.strftime("%Y-%m-%dT%H:%M:%S"), shown["created_at"][:19])

        w = events[webinar["id"] + "@setevoe"]
        self.assertEqual(str(w["STATUS"]), "CANCELLED")
        self.assertEqual(int(w["SEQUENCE"]), 1)
        self.assertEqual(str(w["URL"]), "https://example.org/room?id=1")
        self.assertEqual(str(w["LOCATION"]), "https://example.org/room?id=1")
        self.assertIn("болезнь лектора", str(w["DESCRIPTION"]))
        self.assertNotIn("DTEND", w)

        # A period: only what starts in it.
        _, december_11 = self.calendar(self.s1, "--from", "11.12.2030", "--to", "11.12.2030")
        self.assertEqual([str(e["UID"]) for e in december_11.walk("VEVENT")], [webinar["id"] + "@setevoe"])
        # The same export twice is the same file (stable UIDs, no export time in it).
        again, _ = self.calendar(self.s1)
        self.assertEqual(again, data)

    def test_a_zone_with_summer_time(self):
        berlin = self.path("berlin.db")
        self.ok("init", "--name", "Partnerschule", "--time-zone", "Europe/Berlin", db=berlin)
        self.org = self.add_org(berlin, "Partnerschule Berlin")
        winter = self.add(berlin, "--type", "webinar", "--title", "Winter", "--start", "2030-01-15 10:00",
                          "--url", "https://example.org/w")
        summer = self.add(berlin, "--type", "webinar", "--title", "Sommer", "--start", "2030-07-15 10:00",
                          "--url", "https://example.org/s")
        self.assertEqual(winter["starts_at"], "2030-01-15T09:00:00.000Z")
        self.assertEqual(summer["starts_at"], "2030-07-15T08:00:00.000Z")
        data, cal = self.calendar(berlin)
        tz = cal.walk("VTIMEZONE")[0]
        kinds = [c.name for c in tz.subcomponents]
        self.assertIn("DAYLIGHT", kinds)
        self.assertIn("STANDARD", kinds)
        daylight = [c for c in tz.subcomponents if c.name == "DAYLIGHT"][0]
        self.assertEqual(daylight["TZOFFSETTO"].td, datetime.timedelta(hours=2))
        self.assertEqual(daylight["DTSTART"].dt, datetime.datetime(2030, 3, 31, 2, 0))
        utc = datetime.timezone.utc
        starts = {str(e["SUMMARY"]): e["DTSTART"].dt.astimezone(utc) for e in cal.walk("VEVENT")}
        self.assertEqual(starts["Winter"], datetime.datetime(2030, 1, 15, 9, 0, tzinfo=utc))
        self.assertEqual(starts["Sommer"], datetime.datetime(2030, 7, 15, 8, 0, tzinfo=utc))
        # A time that does not exist there (the clock jumps from 02:00 to 03:00) is refused.
        r = self.fails(64, "--format", "json", "event", "add", "--organiser", self.org, "--type", "webinar",
                       "--title", "Никогда", "--start", "2030-03-31 02:30", "--url", "https://example.org/n", db=berlin)
        self.assertIn("Europe/Berlin", r.err)


if __name__ == "__main__":
    main()
