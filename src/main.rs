fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    tidings::cli::main()
}

/// glibc gives threads that allocate at once arenas of their own, up to
/// eight per core, and memory freed in one arena is not reused by another.
/// The model is built by the loading threads and kept all session, so each
/// extra arena raises the peak: at 100,000 stories, 479 MB with glibc's
/// default, 439 MB with two arenas, and no measurable change in load time
/// (BENCHMARKS.md).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called first thing in main, before any other thread exists;
    // mallopt only tunes the allocator and fails harmlessly.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
