//! Which lesson a scenario is: a lesson's program counts as the lesson at any speed and
//! under any name, and any other change makes it something else.

use looplab_shared::presets::{self, lesson_of};

#[test]
fn a_lesson_under_another_name_or_speed_is_still_the_lesson() {
    for preset in presets::all() {
        let mut pasted = preset.scenario();
        pasted.name = "my_copy".into();
        pasted.time_scale = 0.5;
        assert!(preset.is(&pasted), "{}", preset.id);
        assert_eq!(lesson_of(&pasted).map(|p| p.id), Some(preset.id));
    }
}

#[test]
fn a_changed_step_is_not_the_lesson_whatever_its_name() {
    let gather = presets::find("gather").unwrap();
    let mut changed = gather.scenario();
    changed.main.push(changed.main[0].clone());
    assert!(!gather.is(&changed));
    assert_eq!(lesson_of(&changed), None);
}
