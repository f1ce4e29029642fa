use super::*;

#[test]
fn a_readable_folder_is_listed_with_its_use() {
    let f = folder(b"* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"\r\n");
    let f = f.ok().flatten().map(|f| (f.name, f.special));
    assert_eq!(f, Some(("Sent".to_string(), Some(Special::Sent))));
    assert!(matches!(folder(b"* 3 EXISTS\r\n"), Ok(None)));
}

#[test]
fn an_unreadable_name_is_named_escaped_and_bounded() {
    let mut line = b"* LIST (\\HasNoChildren) \"/\" \"Caf\xe9 \xff".to_vec();
    line.extend(std::iter::repeat_n(b'\xfe', 4000));
    line.extend_from_slice(b"\"\r\n");
    let name = folder(&line).err().unwrap_or_default();
    assert!(name.starts_with("Caf\\xe9 \\xff"), "{name}");
    assert!(name.len() < 600, "{}", name.len());
}

#[tokio::test]
async fn a_name_sent_as_a_literal_is_read_whole_and_nothing_past_the_tag() {
    let wire: &[u8] = b"* LIST (\\HasNoChildren) \"/\" {7}\r\nArch{2}\r\n* LIST () \"/\" INBOX\r\nA1 OK done\r\n* 9 EXISTS\r\n";
    let mut reader = wire;
    let t = Duration::from_secs(1);
    let first = read_response(&mut reader, t).await.unwrap_or_default();
    let f = folder(&first).ok().flatten().map(|f| f.name);
    assert_eq!(f.as_deref(), Some("Arch{2}"));
    let second = read_response(&mut reader, t).await.unwrap_or_default();
    assert_eq!(
        folder(&second).ok().flatten().map(|f| f.name).as_deref(),
        Some("INBOX")
    );
    let done = read_response(&mut reader, t).await.unwrap_or_default();
    assert!(done.starts_with(b"A1 OK"));
    assert_eq!(
        reader, b"* 9 EXISTS\r\n",
        "nothing read past the tagged line"
    );
}

#[test]
fn literals_are_announced_at_the_end_of_a_line() {
    assert_eq!(literal_len(b"* LIST () \"/\" {12}\r\n"), Some(12));
    assert_eq!(literal_len(b"* LIST () \"/\" {3+}\r\n"), Some(3));
    assert_eq!(literal_len(b"* LIST () \"/\" \"{x}\"\r\n"), None);
    assert_eq!(literal_len(b"* LIST () \"/\" Sent\r\n"), None);
    assert_eq!(literal_len(b"* LIST () \"/\" {4}\n"), Some(4));
}
