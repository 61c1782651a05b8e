//! Work the reader never waits for (indexing, filling text, rebuilding a
//! changed library, updating feeds, fetching pages, syncing) runs on
//! threads of lower priority, and so do the threads of rayon's pool that
//! do its parallel parts: on a machine of two cores, a key and its frame
//! then get a core when they need one, however busy the rest is. The
//! reader's own thread, which handles keys and draws, keeps its priority.
//! (Not SCHED_IDLE: a background thread holding something the reader's
//! thread waits for, the allocator's lock say, would then wait for every
//! other program; it measured no better.)

/// The nice value of background threads: the least (0 is the reader's).
const NICE: libc::c_int = 19;

/// Lowers the calling thread's priority (on Linux, priority is a thread's
/// own: the reader's thread keeps its own, and threads this one starts
/// inherit it).
pub fn lower_priority() {
    // SAFETY: gettid and setpriority take no pointers; a failure leaves
    // the priority as it was, which costs only responsiveness.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, NICE);
    }
}

/// Makes rayon's global pool run at background priority from now on:
/// once the library the reader waits for is loaded.
pub fn lower_pool_priority() {
    rayon::broadcast(|_| lower_priority());
}

/// Starts `work` on a background thread named `name`.
pub fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_priority();
            work()
        })
}

/// Gives the operating system back the memory the load freed (the stored
/// library's bytes, the decoding's scratch), before background work
/// allocates its own: glibc keeps freed memory for later, per thread, so
/// a background thread would not reuse it and the reader would hold both.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
