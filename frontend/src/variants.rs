//! What a comparison compares: a lesson's own comparison list, or for any other scenario the
//! same scenario with the GIL switched.

use looplab_shared::model::Scenario;
use looplab_shared::presets::{self, Preset};

/// Most variants one comparison shows.
pub const MAX_VARIANTS: usize = 4;

/// The variants to compare `scenario` with, itself first, each labelled; every one at the
/// scenario's time scale so the comparison is fair.
pub fn variants(scenario: &Scenario, preset: Option<&Preset>) -> Vec<(String, Scenario)> {
    let mut out = vec![(
        preset.map_or_else(|| scenario.name.clone(), |p| p.title.to_owned()),
        scenario.clone(),
    )];
    let others: Vec<&Preset> = preset
        .map(|p| {
            p.compare
                .iter()
                .filter_map(|id| presets::find(id))
                .collect()
        })
        .unwrap_or_default();
    if others.is_empty() {
        let mut flipped = scenario.clone();
        flipped.options.gil = !flipped.options.gil;
        let label = if flipped.options.gil {
            "with the GIL"
        } else {
            "without the GIL"
        };
        out.push((label.to_owned(), flipped));
    }
    for other in others {
        let mut s = other.scenario();
        s.time_scale = scenario.time_scale;
        out.push((other.title.to_owned(), s));
    }
    out.truncate(MAX_VARIANTS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_compares_with_its_list_at_its_own_speed() {
        let gil = presets::find("gil").unwrap();
        let mut s = gil.scenario();
        s.time_scale = 0.5;
        let v = variants(&s, Some(gil));
        let labels: Vec<_> = v.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                gil.title,
                presets::find("gil-off").unwrap().title,
                presets::find("gil-processes").unwrap().title
            ]
        );
        assert!(v.iter().all(|(_, s)| s.time_scale == 0.5));
    }

    #[test]
    fn anything_else_compares_with_the_gil_switched() {
        let s = presets::find("rayon").unwrap().scenario();
        let v = variants(&s, None);
        assert_eq!(v.len(), 2);
        assert_ne!(v[0].1.options.gil, v[1].1.options.gil);
    }
}
