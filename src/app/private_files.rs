//! Files the bot makes are its own: the process umask is set to 0077 before anything is
//! written, so sled's files, the Matrix store, case keys, reports and logs the bot writes
//! come out 0600 (folders 0700) whatever the umask of the shell or service manager.

/// Sets the process umask to 0077. Threads started later inherit it; call first thing.
pub fn private_files() {
    // SAFETY: umask(2) only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn what_is_created_afterwards_is_private() {
        super::private_files();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        let sub = dir.path().join("d");
        std::fs::create_dir(&sub).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&sub), 0o700);
    }
}
