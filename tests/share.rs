//! A learner passes the demo and finds beside their credential its badge,
//! as PNG and SVG, and its certificate, as PDF, each carrying the very
//! credential; `brevet verify` accepts each, and refuses one that was
//! tampered with or carries two. The PDF is read and drawn by poppler
//! (`pdftotext`, `pdftoppm`): without it the PDF checks are skipped, unless
//! `CI` is set (`.ci/run` installs it).
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn demo() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/exams/demo.toml").to_string()
}

/// Passes the demo (plain mode, seed 4) with everything in `dir`; the
/// files written beside each other, sorted.
fn pass(dir: &Path) -> Vec<PathBuf> {
    pass_with(dir, &[])
}

/// [`pass`] with more arguments for `brevet run`.
fn pass_with(dir: &Path, extra: &[&std::ffi::OsStr]) -> Vec<PathBuf> {
    let out = dir.join("out");
    Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--seed", "4", "--lang", "en"])
        .args(["--learner", "Ada Lovelace", "--data"])
        .arg(dir.join("data"))
        .arg("--out")
        .arg(&out)
        .args(extra)
        .write_stdin("\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n")
        .assert()
        .success();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn verify(file: &Path) -> (i32, String) {
    let out = Command::cargo_bin("brevet")
        .unwrap()
        .arg("verify")
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_badge_carries_the_credential_byte_for_byte_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let files = pass(dir.path());
    let kinds: Vec<String> = files
        .iter()
        .map(|p| p.extension().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kinds, ["json", "pdf", "png", "svg"], "{files:?}");
    let json = std::fs::read_to_string(&files[0]).unwrap();
    let png = std::fs::read(&files[2]).unwrap();
    let svg = std::fs::read_to_string(&files[3]).unwrap();

    // A PNG decoder reads the picture: 512x512 RGBA, every row there, and
    // exactly one uncompressed credential chunk.
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (512, 512));
    reader.finish().unwrap();
    let texts = &reader.info().utf8_text;
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].keyword, "openbadgecredential");
    assert!(!texts[0].compressed);
    assert_eq!(texts[0].get_text().unwrap(), json.trim_end());

    // The SVG is well-formed XML with the credential right after <svg>.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let first = root.children().find(roxmltree::Node::is_element).unwrap();
    assert_eq!(
        first.tag_name().namespace(),
        Some("https://purl.imsglobal.org/ob/v3p0")
    );
    assert_eq!(first.tag_name().name(), "credential");
    assert_eq!(first.text().unwrap().trim(), json.trim_end());

    for file in &files {
        let (code, out) = verify(file);
        assert_eq!(code, 0, "{}: {out}", file.display());
        assert!(out.contains(": VALID"), "{out}");
    }
    // The credential names its picture: the achievement's image.
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let image = &doc["credentialSubject"]["achievement"]["image"];
    assert_eq!(image["type"], "Image");
    assert!(
        image["id"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
}

#[test]
fn a_tampered_badge_or_one_with_two_credentials_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = pass(dir.path());
    let png = std::fs::read(&files[2]).unwrap();
    let svg = std::fs::read_to_string(&files[3]).unwrap();

    // The learner's name changed in the PNG, its checksum made right
    // again: the chunk reads, the signature fails.
    let at = png.windows(12).position(|w| w == b"Ada Lovelace").unwrap();
    let mut tampered = png.clone();
    tampered[at..at + 3].copy_from_slice(b"Eve");
    let (start, len) = itxt_chunk(&tampered);
    let crc = {
        let mut c = flate2::Crc::new();
        c.update(&tampered[start + 4..start + 8 + len]);
        c.sum()
    };
    tampered[start + 8 + len..start + 12 + len].copy_from_slice(&crc.to_be_bytes());
    let path = dir.path().join("tampered.png");
    std::fs::write(&path, &tampered).unwrap();
    let (code, out) = verify(&path);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("INVALID bad signature"), "{out}");

    // Left with its old checksum: damaged.
    let mut damaged = png.clone();
    damaged[at] = b'E';
    let path = dir.path().join("damaged.png");
    std::fs::write(&path, &damaged).unwrap();
    let (_, out) = verify(&path);
    assert!(out.contains("fails its checksum"), "{out}");

    // A second credential in the SVG.
    let two = svg.replacen(
        "<circle",
        "<ob:credential xmlns:ob=\"https://purl.imsglobal.org/ob/v3p0\">{}</ob:credential><circle",
        1,
    );
    let path = dir.path().join("two.svg");
    std::fs::write(&path, two).unwrap();
    let (code, out) = verify(&path);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("carries 2 credentials"), "{out}");
}

/// Where the PNG's `iTXt` chunk starts, and its data's length.
fn itxt_chunk(png: &[u8]) -> (usize, usize) {
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        if &png[at + 4..at + 8] == b"iTXt" {
            return (at, len);
        }
        at += len + 12;
    }
    panic!("no iTXt chunk");
}

/// `brevet share` makes the badge again from the credential or from a
/// badge, after verifying it (no LinkedIn link for the demo's); an
/// edited credential is not shared.
#[test]
fn brevet_share_makes_the_badge_again_and_refuses_an_edited_credential() {
    let dir = tempfile::tempdir().unwrap();
    let files = pass(dir.path());
    let json = std::fs::read_to_string(&files[0]).unwrap();
    let share = |file: &Path, out: &Path| {
        Command::cargo_bin("brevet")
            .unwrap()
            .arg("share")
            .arg(file)
            .arg("--out")
            .arg(out)
            .args([
                "--verify-url",
                "https://formation.example.org/verify?id={id}",
            ])
            .output()
            .unwrap()
    };
    let from_json = dir.path().join("from-json");
    let out = share(&files[0], &from_json);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("from-json/brevet-demo_ada-lovelace_"),
        "{stdout}"
    );
    // A demo credential certifies nothing a profile should show.
    assert!(!stdout.contains("LinkedIn"), "{stdout}");
    let stem = files[0].file_stem().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        std::fs::read(from_json.join(format!("{stem}.png"))).unwrap(),
        std::fs::read(&files[2]).unwrap(),
        "the same badge as on the day"
    );
    assert!(from_json.join(format!("{stem}.pdf")).is_file());
    // From the badge alone: the credential's file as well, the very text.
    let from_png = dir.path().join("from-png");
    assert_eq!(share(&files[2], &from_png).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(from_png.join(format!("{stem}.json"))).unwrap(),
        json
    );
    // Shared again where it lies: the badge it was read from is left as it
    // is, the files beside it hold the same bytes.
    let in_place = Command::cargo_bin("brevet")
        .unwrap()
        .arg("share")
        .arg(&files[2])
        .output()
        .unwrap();
    assert_eq!(
        in_place.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&in_place.stderr)
    );
    // A different file of a name it would write: refused, unless --force.
    std::fs::write(from_json.join(format!("{stem}.svg")), "mine").unwrap();
    let out = share(&files[0], &from_json);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force replaces it"));
    assert_eq!(
        std::fs::read_to_string(from_json.join(format!("{stem}.svg"))).unwrap(),
        "mine"
    );
    // Edited: refused, nothing written.
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, json.replace("Ada Lovelace", "Eve Lovelace")).unwrap();
    let refused = dir.path().join("refused");
    let out = share(&edited, &refused);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not shared, the credential is INVALID"));
    assert!(!refused.exists());
}

/// Whether poppler's tools are here; with `CI` set they must be.
fn poppler() -> bool {
    let here = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    assert!(
        here || std::env::var_os("CI").is_none(),
        "poppler-utils (pdftotext, pdftoppm) is not installed: CI must have it (.ci/run installs it)"
    );
    if !here {
        eprintln!("poppler-utils not installed: the PDF's text and pages are not checked");
    }
    here
}

/// The certificate holds the learner, the achievement and the score as
/// text, its page draws, it carries the credential, and an edited one
/// fails.
#[test]
fn the_certificate_reads_draws_and_carries_the_credential() {
    let dir = tempfile::tempdir().unwrap();
    let files = pass(dir.path());
    let pdf = &files[1];
    assert_eq!(pdf.extension().unwrap(), "pdf");
    let (code, out) = verify(pdf);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(".pdf: VALID"), "{out}");
    let bytes = std::fs::read(pdf).unwrap();
    let json = std::fs::read_to_string(&files[0]).unwrap();
    assert_eq!(
        brevet::share::pdf::extract(&bytes).unwrap(),
        json.trim_end(),
        "attached byte for byte"
    );
    // The name changed in the attached credential (same length: the
    // cross-reference table still holds): the signature fails.
    let at = bytes
        .windows(12)
        .position(|w| w == b"Ada Lovelace")
        .unwrap();
    let mut edited = bytes.clone();
    edited[at..at + 3].copy_from_slice(b"Eve");
    let path = dir.path().join("edited.pdf");
    std::fs::write(&path, edited).unwrap();
    let (code, out) = verify(&path);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("INVALID bad signature"), "{out}");
    if !poppler() {
        return;
    }
    let text = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    for wanted in [
        "Ada Lovelace",
        "brevet demo: working safely with files",
        "Score: 100 % (required 60 %)",
        "Demo issuer: not for real certification.",
    ] {
        assert!(text.contains(wanted), "{wanted:?} in:\n{text}");
    }
    let page = dir.path().join("page");
    let drawn = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "30"])
        .arg(pdf)
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        drawn.status.success() && drawn.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&drawn.stderr)
    );
    assert!(dir.path().join("page-1.png").is_file());
}

/// An issuer that names its own picture (`badge_image`) gets its badges
/// baked into it, in its format, and the credential names it.
#[test]
fn an_issuers_own_picture_is_the_badge() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("issuer.key");
    Command::cargo_bin("brevet")
        .unwrap()
        .args(["keygen", "--no-passphrase", "--out"])
        .arg(&key)
        .arg("--data")
        .arg(dir.path().join("keygen"))
        .assert()
        .success();
    // A 2x2 picture of the issuer's.
    let picture = brevet::share::png::encode(2, 2, &[200; 16]);
    std::fs::write(dir.path().join("badge.png"), &picture).unwrap();
    let issuer = dir.path().join("issuer.toml");
    std::fs::write(
        &issuer,
        "name = \"Formation Exemple\"\nurl = \"https://formation.example.org\"\ncountry = \"FR\"\nkey = \"issuer.key\"\nbadge_image = \"badge.png\"\n",
    )
    .unwrap();
    let files = pass_with(dir.path(), &["--issuer".as_ref(), issuer.as_os_str()]);
    let kinds: Vec<String> = files
        .iter()
        .map(|p| p.extension().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kinds, ["json", "pdf", "png"], "a PNG picture, a PNG badge");
    let json = std::fs::read_to_string(&files[0]).unwrap();
    let png = std::fs::read(&files[2]).unwrap();
    assert_eq!(
        brevet::credential::baked::extract_png(&png).unwrap(),
        json.trim_end()
    );
    // The issuer's pixels, the credential added.
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (2, 2));
    let (code, out) = verify(&files[2]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let image = doc["credentialSubject"]["achievement"]["image"]["id"]
        .as_str()
        .unwrap();
    assert!(image.starts_with("data:image/png;base64,"), "{image}");
    // Shared again: the LinkedIn link, to the issuer's verification page.
    let out = Command::cargo_bin("brevet")
        .unwrap()
        .arg("share")
        .arg(&files[2])
        .arg("--out")
        .arg(dir.path().join("shared"))
        .args([
            "--verify-url",
            "https://formation.example.org/verify?id={id}",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("LinkedIn: https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=brevet%20demo%3A%20working%20safely%20with%20files&organizationName=Formation%20Exemple&issueYear="),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "certUrl=https%3A%2F%2Fformation.example.org%2Fverify%3Fid%3Durn%253Auuid%253A"
        ),
        "{stdout}"
    );
    // Not a picture: the issuer file is refused with why.
    std::fs::write(dir.path().join("badge.png"), b"GIF89a").unwrap();
    let out = Command::cargo_bin("brevet")
        .unwrap()
        .args(["run", &demo(), "--plain", "--learner", "Grace", "--data"])
        .arg(dir.path().join("data"))
        .arg("--issuer")
        .arg(&issuer)
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("badge.png: not a badge picture"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A bank that names its own picture (`badge_image`) gets its badges baked
/// into it, in its format, whoever the issuer.
#[test]
fn a_banks_own_picture_is_the_badge() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("demo.toml");
    let text = std::fs::read_to_string(demo()).unwrap();
    std::fs::write(
        &bank,
        text.replacen("[exam]\n", "[exam]\nbadge_image = \"art/badge.svg\"\n", 1),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("art")).unwrap();
    let picture = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"teal\"/></svg>\n";
    std::fs::write(dir.path().join("art/badge.svg"), picture).unwrap();
    let out = dir.path().join("out");
    let run = |bank: &Path| {
        Command::cargo_bin("brevet")
            .unwrap()
            .arg("run")
            .arg(bank)
            .args([
                "--seed",
                "4",
                "--lang",
                "en",
                "--plain",
                "--learner",
                "Ada Lovelace",
            ])
            .arg("--data")
            .arg(dir.path().join("data"))
            .arg("--out")
            .arg(&out)
            .write_stdin("\n1\n1\n3\n2 3\nexpiry\n4.5\nyes\n")
            .output()
            .unwrap()
    };
    assert!(run(&bank).status.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let kinds: Vec<String> = files
        .iter()
        .map(|p| p.extension().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        kinds,
        ["json", "pdf", "svg"],
        "an SVG picture, an SVG badge"
    );
    let json = std::fs::read_to_string(&files[0]).unwrap();
    let svg = std::fs::read_to_string(&files[2]).unwrap();
    assert!(svg.contains("fill=\"teal\""), "{svg}");
    assert_eq!(
        brevet::credential::baked::extract_svg(&svg).unwrap(),
        json.trim_end()
    );
    assert_eq!(verify(&files[2]).0, 0);
    // A picture that is not there: said before anything starts.
    std::fs::remove_file(dir.path().join("art/badge.svg")).unwrap();
    let failed = run(&bank);
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("art/badge.svg"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
}
