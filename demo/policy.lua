-- demo/policy.lua: what demo/run lets demo/untrusted.sh do.
-- Loaded with -f, so vow's default policy is not applied: all the script
-- gets is below, on top of what vow always does (no capabilities,
-- no_new_privs, no core dumps, only fds 0-2, a new session, Landlock
-- scoping, the baseline seccomp filter, everything killed at the end).
vow.limit{
	memory = "256M", -- address space per process: a shell needs a few MiB, a 4 GiB bomb gets ENOMEM
	procs = 32,      -- processes+threads alive at once, counted by vow (RLIMIT_NPROC spares root)
	fsize = "1M",    -- largest file it may write: past it the writer dies of SIGXFSZ
	cpu = 2,         -- CPU seconds per process: a runaway loop dies of SIGXCPU
	timeout = 20,    -- wall-clock seconds for the whole sandbox (the script needs about 5): then all is killed
}
-- promises: files in its directory, its own processes and programs;
-- no network (inet, unix, dns), no executable memory, no file modes
vow.promise("stdio rpath wpath cpath proc exec")
vow.env.clear()                         -- inherit nothing: tokens and keys in the user's environment stay out
vow.env.keep{ "PATH", "HOME", "LANG" }  -- except what ordinary programs need to find and run things
vow.env.set("LC_ALL", "C")              -- messages in plain English, which demo/run reads
