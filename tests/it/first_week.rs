//! Issue 22: a newcomer's first week, from the command line. A LinkedIn export with its
//! "Notes:" preamble and mostly empty email column imports cleanly, is history (how you
//! met, not new people this month), takes a tier and a tag for the batch, and a first
//! request to such a connection is the cold one.

use crate::util::Env;

const EXPORT: &str = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nJessica,Park,https://www.linkedin.com/in/jpark,jessica@example.com,Example Corp,PM,12 Mar 2024\nOmar,Haddad,https://www.linkedin.com/in/omar,,Acme,CTO,03 Nov 2021\nLena,Vogel,https://www.linkedin.com/in/lena,,,,01 Jan 2020\n";

#[test]
fn a_linkedin_import_is_history_and_the_first_request_is_a_cold_one() {
    let env = Env::new();
    let file = env.home().join("Connections.csv");
    std::fs::write(&file, EXPORT).unwrap();
    let file = file.to_str().unwrap();

    // A dry run: one line per contact it would add, nothing written.
    let dry = env
        .rapport(&["contacts", "import", "--dry-run", file])
        .ok()
        .stdout;
    assert!(dry.contains("would be added 3"), "{dry}");
    assert!(
        dry.contains("line 5: would add Jessica Park (jessica@example.com)"),
        "{dry}"
    );
    assert!(
        dry.contains("line 6: would add Omar Haddad (no email yet)"),
        "{dry}"
    );
    assert!(
        !dry.contains("before the header row"),
        "the preamble is no problem: {dry}"
    );
    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    assert_eq!(list["contacts"].as_array().unwrap().len(), 0);

    let out = env
        .rapport(&[
            "contacts",
            "import",
            "--tier",
            "acquaintance",
            "--tag",
            "linkedin",
            file,
        ])
        .ok()
        .stdout;
    assert!(out.contains("added 3"), "{out}");
    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    for c in list["contacts"].as_array().unwrap() {
        assert_eq!(c["tier"], "acquaintance", "{c}");
        assert_eq!(c["tags"][0], "linkedin", "{c}");
    }

    // Not new people this month.
    let goals = env.rapport(&["goals", "--json"]).ok().json();
    assert_eq!(goals["new_contacts_this_month"], 0, "{goals}");
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(status["goals"]["new_contacts_this_month"], 0, "{status}");

    // A first request to a connection never written to is the cold one.
    let out = env.rapport(&["request", "jessica"]).ok().stdout;
    assert!(out.contains("template cold-request"), "{out}");
    let d = env.draft(1);
    let body = d["body"].as_str().unwrap_or_default().to_string();
    let shown = env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(shown.contains("We have not spoken yet"), "{shown}{body}");
    assert!(!shown.contains("enjoyed"), "{shown}");

    // The brief remembers how you met, not the request sent today.
    let brief = env.rapport(&["brief", "jessica"]).ok().stdout;
    assert!(
        brief.contains("How you met\n  2024-03-12  Connected on LinkedIn"),
        "{brief}"
    );
}

/// Issue 22 items 2, 7: the map of a fresh import gives the contacts without an address
/// their own look and a legend line, and the file is private like the database.
#[test]
fn the_map_of_an_import_is_private_and_says_who_has_no_email_yet() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let file = env.home().join("Connections.csv");
    std::fs::write(&file, EXPORT).unwrap();
    env.rapport(&["contacts", "import", file.to_str().unwrap()])
        .ok();
    let page = env.home().join("network.html");
    let said = env
        .rapport(&["map", "--out", page.to_str().unwrap()])
        .ok()
        .stdout;
    assert!(said.contains("3 contacts"), "{said}");
    let mode = std::fs::metadata(&page).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("no email yet"), "legend and hover say it");
    assert_eq!(
        html.matches("stroke-dasharray=\"2 2\"").count(),
        2 + 1,
        "two hollow dots and the legend's"
    );
}
