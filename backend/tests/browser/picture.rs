//! The timeline saved as a picture: opaque, titled and with its legend, so it stands on a
//! slide by itself.

use base64::Engine;

use crate::harness::{eventually, open_page};

/// The colours of the legend's swatches (`frontend/src/paint.rs`).
const LEGEND: [[u8; 3]; 7] = [
    [0x2b, 0x8a, 0x3e],
    [0xa5, 0xd8, 0xff],
    [0x70, 0x48, 0xe8],
    [0xe0, 0x31, 0x31],
    [0xff, 0xd4, 0x3b],
    [0xde, 0xe2, 0xe6],
    [0xe8, 0x59, 0x0c],
];

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_picture_is_opaque_with_a_title_and_a_legend() {
    let (_server, browser) = open_page().await;
    browser.click("[data-preset=gil]").await;
    browser.press_run().await;
    browser.until_state("completed", "the GIL lesson").await;
    browser.click("[data-testid=export-png]").await;
    let href = eventually("the saved picture", || async {
        let link = browser
            .client
            .find(fantoccini::Locator::Css("[data-testid=picture-link]"))
            .await
            .ok()?;
        link.attr("href").await.ok()?
    })
    .await;
    let data = href.strip_prefix("data:image/png;base64,").expect("a PNG");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/browser-screens/saved-picture.png"),
        &bytes,
    )
    .unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    let (w, h) = (frame.width as usize, frame.height as usize);
    let at = |x: usize, y: usize| &pixels[(y * w + x) * 4..(y * w + x) * 4 + 4];
    let transparent = pixels.chunks(4).filter(|p| p[3] != 255).count();
    assert_eq!(
        transparent,
        0,
        "{transparent} of {} pixels are not opaque",
        w * h
    );
    // A title: dark text in the top band, on white.
    assert_eq!(at(2, 2), [255, 255, 255, 255]);
    let dark = (0..w)
        .flat_map(|x| (0..h / 6).map(move |y| (x, y)))
        .filter(|&(x, y)| at(x, y)[..3].iter().all(|&c| c < 90))
        .count();
    assert!(dark > 200, "no title: {dark} dark pixels at the top");
    // A legend: every swatch's colour below the rows, which end where the grey line that
    // closes the label column does.
    let grey = [0xad, 0xb5, 0xbd];
    let line_x = (0..w)
        .find(|&x| (0..h).filter(|&y| at(x, y)[..3] == grey).count() > h / 4)
        .expect("the label column's line");
    let rows_end = (0..h).rev().find(|&y| at(line_x, y)[..3] == grey).unwrap();
    for colour in LEGEND {
        let found = (rows_end + 1..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .any(|(x, y)| at(x, y)[..3] == colour);
        assert!(found, "no legend swatch of {colour:02x?} below the rows");
    }
}
