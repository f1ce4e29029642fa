use super::*;

#[test]
fn every_file_has_only_known_sections_and_every_weekday_line_reads() {
    for (lang, file) in FILES {
        for line in file.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(SECTIONS.contains(&name), "{lang}: unknown section [{name}]");
            }
        }
        for (section, line) in entries(file) {
            if section == "weekday" {
                let n = line.rsplit_once(' ').map_or("", |(_, n)| n);
                assert!(
                    weekday_number(n).is_some(),
                    "{lang}: bad weekday line {line:?}"
                );
            }
        }
    }
    assert!(words().at.iter().any(|s| s == &["a", "las"]));
    assert_eq!(words().weekdays.get("tisdag"), Some(&Weekday::Tuesday));
}
