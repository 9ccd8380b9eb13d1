//! The words of the report: table titles and row labels in the report's language.
//! Category and wish rows use the intake's own option labels, so the report speaks of
//! them exactly as the employees were asked.

use crate::core::dialog::Dialog;
use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

use super::tally::{Dimension, NOT_GIVEN, OPEN};

pub struct Labels<'a> {
    intake: &'a Dialog,
    catalog: &'a Catalog,
    lang: &'a Lang,
}

impl<'a> Labels<'a> {
    pub fn new(intake: &'a Dialog, catalog: &'a Catalog, lang: &'a Lang) -> Self {
        Labels {
            intake,
            catalog,
            lang,
        }
    }

    fn text(&self, id: &str) -> String {
        self.catalog.render(self.lang, id, &Args::new())
    }

    pub fn title(&self, dimension: Dimension) -> String {
        self.text(match dimension {
            Dimension::Kind => keys::REPORT_TABLE_KIND,
            Dimension::Category => keys::REPORT_TABLE_CATEGORY,
            Dimension::Quarter => keys::REPORT_TABLE_QUARTER,
            Dimension::Unit => keys::REPORT_TABLE_UNIT,
            Dimension::Wish => keys::REPORT_TABLE_WISH,
            Dimension::Outcome => keys::REPORT_TABLE_OUTCOME,
            Dimension::Promise => keys::REPORT_TABLE_PROMISE,
            Dimension::Escalated => keys::REPORT_TABLE_ESCALATED,
        })
    }

    pub fn row(&self, dimension: Dimension, key: &str) -> String {
        if key == NOT_GIVEN {
            return self.text(keys::REPORT_NOT_GIVEN);
        }
        match dimension {
            Dimension::Kind => self.text(match key {
                "consultation" => keys::REPORT_KIND_CONSULTATION,
                "accused" => keys::REPORT_KIND_ACCUSED,
                _ => keys::REPORT_KIND_REPORT,
            }),
            Dimension::Category => self.option_label(super::CATEGORY_ANSWER, key),
            Dimension::Wish => self.option_label(super::WISHES_ANSWER, key),
            Dimension::Quarter => {
                let number = key.trim_start_matches('q').parse::<i64>().unwrap_or(0);
                self.catalog.render(
                    self.lang,
                    keys::REPORT_QUARTER,
                    &Args::new().number("quarter", number),
                )
            }
            // Units are the organisation's own names, from its configuration.
            Dimension::Unit => key.to_owned(),
            Dimension::Outcome => self.text(outcome_key(key)),
            Dimension::Promise => self.text(match key {
                "kept" => keys::REPORT_PROMISE_KEPT,
                "missed" => keys::REPORT_PROMISE_MISSED,
                super::tally::NOT_APPLICABLE => keys::REPORT_PROMISE_NOT_APPLICABLE,
                _ => keys::REPORT_PROMISE_PENDING,
            }),
            Dimension::Escalated => self.text(if key == "yes" {
                keys::REPORT_ESCALATED_YES
            } else {
                keys::REPORT_ESCALATED_NO
            }),
        }
    }

    fn option_label(&self, answer: &str, option: &str) -> String {
        self.intake
            .steps
            .iter()
            .find(|step| step.answer_name() == answer)
            .and_then(|step| step.option(option))
            .map(|o| self.text(&o.label))
            .unwrap_or_else(|| option.to_owned())
    }
}

fn outcome_key(outcome: &str) -> &'static str {
    match outcome {
        "listening-ear" => keys::REPORT_OUTCOME_LISTENING_EAR,
        "advice" => keys::REPORT_OUTCOME_ADVICE,
        "referral" => keys::REPORT_OUTCOME_REFERRAL,
        "mediation" => keys::REPORT_OUTCOME_MEDIATION,
        "formal-complaint" => keys::REPORT_OUTCOME_FORMAL_COMPLAINT,
        "police-report" => keys::REPORT_OUTCOME_POLICE_REPORT,
        OPEN => keys::REPORT_OUTCOME_OPEN,
        _ => keys::REPORT_OUTCOME_WITHDRAWN,
    }
}
