//! A worker process: one contender on one connection, driven over stdin/stdout.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use protocol::{Backend, Job, Sample};

pub enum Reply {
    Done(Sample),
    Unsupported(String),
}

pub struct Worker {
    pub name: &'static str,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    pub fn spawn(bin: &Path, name: &'static str, backend: Backend, url: &str) -> Result<Worker, String> {
        let mut child = Command::new(bin)
            .args(["--contender", name, "--backend", backend.name(), "--url", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut w = Worker { name, child, stdin, stdout };
        let line = w.read_line()?;
        if line != "ready" {
            return Err(format!("{name} on {backend} did not start: {line}"));
        }
        Ok(w)
    }

    fn read_line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).map_err(|e| format!("{}: {e}", self.name))?;
        if n == 0 {
            return Err(format!("{} exited unexpectedly", self.name));
        }
        Ok(line.trim_end().to_owned())
    }

    pub fn run(&mut self, job: &Job) -> Result<Reply, String> {
        writeln!(self.stdin, "{}", job.to_line()).map_err(|e| format!("{}: {e}", self.name))?;
        self.stdin.flush().map_err(|e| format!("{}: {e}", self.name))?;
        let line = self.read_line()?;
        if line.starts_with("ok ") {
            return Sample::parse(&line).map(Reply::Done);
        }
        if let Some(why) = line.strip_prefix("unsupported ") {
            return Ok(Reply::Unsupported(why.to_owned()));
        }
        Err(format!("{} failed {} n={}: {line}", self.name, job.workload, job.n))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.stdin.flush();
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
