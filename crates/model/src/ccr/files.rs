//! What CCM leaves on disk: `.CCR` files in the format of "The CCR Request Process"
//! ("The CCR Request Process") and `Ccm.log` lines in the form of Q262298.

use super::store::Request;
use crate::hierarchy::{ClientId, Hierarchy};
use crate::record::sms_log_line;
use smssim_engine::SimTime;
use smssim_scenario::policy::CcrRetryNaming;
use smssim_scenario::Calendar;
use std::fmt::Write;

/// CCM's component name in its log.
pub const COMPONENT: &str = "SMS_CLIENT_CONFIG_MANAGER";
/// The thread that watches the inboxes (Q262298 shows 227).
pub const MAIN_THREAD: u32 = 227;

/// The log thread id of processing-thread slot `slot` (Q262298's first
/// processing thread is 0x114).
pub fn thread_id(slot: u8) -> u32 {
    0x114 + 4 * u32::from(slot)
}

/// The file name of a record in `CcrRetry.box`, without `.CCR`: the random
/// name, or `COMPUTER.DOMAIN` under `per_system` (Q242926).
pub fn box_name(r: &Request, h: &Hierarchy, naming: CcrRetryNaming) -> String {
    match naming {
        CcrRetryNaming::Random => r.random_name().to_string(),
        CcrRetryNaming::PerSystem => format!(
            "{}.{}",
            h.client_name(r.client),
            h.client_domain(r.client).name
        ),
    }
}

/// The text of a `.CCR` file ("The CCR Request Process"), with Windows line ends.
pub fn ccr_file(r: &Request, h: &Hierarchy, cal: &Calendar) -> String {
    let name = h.client_name(r.client);
    let ip = h.client_ip(r.client);
    let mut s = String::new();
    let mut line = |l: &str| {
        s.push_str(l);
        s.push_str("\r\n");
    };
    line("[NT Client Configuration Request]");
    line(&format!("Machine Name={name}"));
    line(&format!("Domain={}", h.client_domain(r.client).name));
    line(&format!("IP Address 1={ip}"));
    line(&format!("Initial Request Date={}", cal.ccr_date(r.created)));
    line("");
    line("[IP Address ]");
    line(&format!("IP Address 1={ip}"));
    line("");
    line("[Resource Names ]");
    line(&format!("Resource Names 1={name}"));
    line("");
    line("[Request Processing]");
    line(&format!(
        "Latest Processing Attempt={}",
        cal.ccr_date(r.last_attempt)
    ));
    line(&format!("Last Error Code={}", r.last_error));
    line(&format!("Number of Processing Attempts={}", r.attempts));
    if let Some(t) = r.error_event {
        line(&format!("Error Event Created={}", cal.ccr_date(t)));
    }
    line("");
    line("[IDENT]");
    line("TYPE=Client Config Request File");
    s
}

/// Builds the `Ccm.log` lines of one machine at one time.
pub struct LogLines<'a> {
    cal: &'a Calendar,
    t: SimTime,
    thread: u32,
    /// The lines so far.
    pub lines: Vec<String>,
}

impl<'a> LogLines<'a> {
    /// Lines stamped `t` by `thread`.
    pub fn new(cal: &'a Calendar, t: SimTime, thread: u32) -> Self {
        LogLines {
            cal,
            t,
            thread,
            lines: Vec::new(),
        }
    }

    /// Adds a line.
    pub fn add(&mut self, text: impl AsRef<str>) {
        self.lines.push(sms_log_line(
            self.cal,
            self.t,
            COMPONENT,
            self.thread,
            text.as_ref(),
        ));
    }
}

/// A build as SMS prints versions: `2.00.1380`.
pub fn build_text(build: u32) -> String {
    format!("2.00.{build}")
}

/// The `Ccm.log` lines of a failed connection (Q262298).
pub fn failure_lines(log: &mut LogLines<'_>, h: &Hierarchy, c: ClientId, request: &str, code: u16) {
    let m = h.client_name(c);
    let acct = format!("{}\\SMSService", h.client_domain(c).name);
    let mut w = String::new();
    let _ = write!(
        w,
        "---> Failed to connect to \\\\{m}\\admin$ using account {acct} ({code})"
    );
    log.add(w);
    if code != 53 {
        log.add(format!(
            "---> ERROR: The account '' does not have administrative rights on machine \"{m}\"."
        ));
    }
    log.add(format!(
        "---> ERROR: Unable to access target machine for request: \"{request}\", machine name: \"{m}\", error code: {code}"
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ccr::store::{Outcome, State};

    #[test]
    fn ccr_file_has_the_seed_sections() {
        let s = smssim_scenario::load_str(
            r#"{"name":"t","duration_days":1,"topology":{"clients_per_cap":5}}"#,
            "t",
            &[],
        )
        .unwrap();
        let h = Hierarchy::build(&s);
        let r = Request {
            client: 3,
            site: 0,
            state: State::Retry,
            in_box: true,
            thread: 0,
            outcome: Outcome::Failed(5),
            last_error: 5,
            attempts: 99,
            retries: 98,
            created: 0,
            last_attempt: 3_600_000,
            next_due: 0,
            error_event: Some(1000),
            name: *b"01MOLQGI",
        };
        let text = ccr_file(&r, &h, &s.spec.start);
        for want in [
            "[NT Client Configuration Request]\r\nMachine Name=PC000003\r\nDomain=DOMAIN01\r\n",
            "Initial Request Date=06/03/2002 08:00:00",
            "[Request Processing]\r\nLatest Processing Attempt=06/03/2002 09:00:00\r\nLast Error Code=5\r\nNumber of Processing Attempts=99\r\n",
            "[IDENT]\r\nTYPE=Client Config Request File\r\n",
        ] {
            assert!(text.contains(want), "{want:?} not in\n{text}");
        }
        assert_eq!(box_name(&r, &h, CcrRetryNaming::Random), "01MOLQGI");
        assert_eq!(
            box_name(&r, &h, CcrRetryNaming::PerSystem),
            "PC000003.DOMAIN01"
        );
    }
}
