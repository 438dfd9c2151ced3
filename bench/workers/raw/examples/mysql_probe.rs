//! Probe: what MariaDB charges for `INSERT … RETURNING` and for an UPDATE, with mysql_async
//! alone, over TCP, interleaved so every variant sees the same server state.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml -p worker-raw --example mysql_probe`

use std::time::{Duration, Instant};

use mysql_async::prelude::*;

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut c = mysql_async::Conn::from_url(protocol::mysql_tcp_url("mysql://root@127.0.0.1:3306/test")).await.expect("connect");
        c.query_drop("DROP TABLE IF EXISTS probe_users").await.expect("drop");
        c.query_drop("CREATE TABLE probe_users (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, hair_color VARCHAR(50))").await.expect("create");
        let plain = c.prep("INSERT INTO probe_users (name, hair_color) VALUES (?, ?)").await.expect("prep");
        let ret = c.prep("INSERT INTO probe_users (name, hair_color) VALUES (?, ?) RETURNING id, name, hair_color").await.expect("prep");
        let ret_id = c.prep("INSERT INTO probe_users (name, hair_color) VALUES (?, ?) RETURNING id").await.expect("prep");
        let upd = c.prep("UPDATE probe_users SET name = ? WHERE id = ?").await.expect("prep");
        let mut t = [Duration::ZERO; 4];
        let rounds = 20;
        let per = 200;
        for _ in 0..rounds {
            let s = Instant::now();
            for _ in 0..per {
                c.exec_drop(&plain, ("n", Some("h"))).await.expect("plain");
                assert!(c.last_insert_id().is_some());
            }
            t[0] += s.elapsed();
            let s = Instant::now();
            for _ in 0..per {
                let row: Option<(i64, String, Option<String>)> = c.exec_first(&ret, ("n", Some("h"))).await.expect("ret");
                assert!(row.is_some());
            }
            t[1] += s.elapsed();
            let s = Instant::now();
            for _ in 0..per {
                let row: Option<i64> = c.exec_first(&ret_id, ("n", Some("h"))).await.expect("ret");
                assert!(row.is_some());
            }
            t[2] += s.elapsed();
            let s = Instant::now();
            for i in 0..per {
                c.exec_drop(&upd, (format!("x{i}"), (i % 100 + 1) as i64)).await.expect("upd");
            }
            t[3] += s.elapsed();
        }
        let us = |d: Duration| d.as_secs_f64() * 1e6 / (rounds * per) as f64;
        println!("insert (OK packet id)      {:.1} µs", us(t[0]));
        println!("insert RETURNING 3 columns {:.1} µs", us(t[1]));
        println!("insert RETURNING id        {:.1} µs", us(t[2]));
        println!("update by key              {:.1} µs", us(t[3]));
        c.query_drop("DROP TABLE probe_users").await.expect("drop");
    });
}
