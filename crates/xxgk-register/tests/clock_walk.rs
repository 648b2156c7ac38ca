//! The clock walks from the start to the due date once (for speed); what it finds on the way
//! must be what the calendar's own functions say: the due date is `add_working_days` of the
//! working days counted, and the holidays, make-up workdays and weekend days listed are those of
//! the days after the start up to it. Starts over every shipped year, with and without an
//! extension and a consultation pause; a start whose count runs into 2027 (no data) is refused.

use proptest::prelude::*;
use xxgk_register::case::ConsultKind;
use xxgk_register::{clock, ApplicantType, Application, Calendar, Case, Channel, Day, Event};

fn case(received: Day, events: Vec<Event>) -> Case {
    Case {
        application: Application {
            number: "W1".to_string(),
            applicant_type: ApplicantType::parse("自然人").expect("a type"),
            applicant_name: String::new(),
            contact: String::new(),
            channel: Channel::Online,
            received,
            content: String::new(),
            form: String::new(),
        },
        events,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_walk_agrees_with_the_calendar(
        offset in 0i32..2922,
        extended in proptest::bool::ANY,
        pause in proptest::option::of((1i32..10, 1i32..30)),
    ) {
        let cal = Calendar::shipped().expect("shipped calendar");
        let received = Day::from_ymd(2019, 1, 1).expect("a day").plus(offset);
        let mut events = Vec::new();
        if extended {
            events.push(Event::Extension { date: received, approver: "某某".to_string() });
        }
        if let Some((after, length)) = pause {
            let sent = received.plus(after);
            events.push(Event::ConsultationSent {
                date: sent,
                kind: ConsultKind::ThirdParty,
                party: "第三方".to_string(),
            });
            events.push(Event::ConsultationReplied { date: sent.plus(length) });
        }
        let c = case(received, events);
        let state = clock(&c, &cal, received);
        match state.explanation {
            Some(ex) => {
                prop_assert_eq!(
                    Ok(ex.computed_due),
                    cal.add_working_days(ex.start, ex.working_days)
                );
                let mut holidays = Vec::new();
                let mut makeup = Vec::new();
                let mut weekend = 0;
                let mut d = ex.start.next();
                while d <= ex.computed_due {
                    if let Some(h) = cal.holiday_of(d) {
                        holidays.push((d, h.to_string()));
                    } else if let Some(h) = cal.makeup_of(d) {
                        makeup.push((d, h.to_string()));
                    } else if d.is_weekend() {
                        weekend += 1;
                    }
                    d = d.next();
                }
                prop_assert_eq!(ex.holidays_skipped, holidays);
                prop_assert_eq!(ex.makeup_workdays, makeup);
                prop_assert_eq!(ex.weekend_days_skipped, weekend);
            }
            None => {
                // Only a count that runs past 2026 (the last shipped year) has no due date.
                prop_assert_eq!(state.missing_year, Some(2027));
                prop_assert!(cal.add_working_days(received, 80).is_err());
            }
        }
    }
}
