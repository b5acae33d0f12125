"""The seed's procedure over the controller's CLI, driven by Netmiko's cisco_ios driver, unmodified.

Usage: netmikoUpgrade.py HOST PORT USER PASSWORD TFTP_SERVER TFTP_PORT IMAGE_PATH
Prints one JSON object with what each step answered; the Vitest test checks it against the console.
"""
import json
import sys
import time

from netmiko import ConnectHandler

host, port, user, password, tftp_server, tftp_port, image_path = sys.argv[1:8]
result = {}
conn = ConnectHandler(device_type="cisco_ios", host=host, port=int(port), username=user, password=password, timeout=30)
result["prompt"] = conn.find_prompt()
result["config"] = conn.send_config_set(
    [
        "wireless profile image-download default",
        "image-download-mode tftp",
        "tftp-image-server " + tftp_server,
        "tftp-image-path " + image_path,
        "tftp-image-port " + tftp_port,
        "no parallel-mode",
    ]
)
result["promptAfterConfig"] = conn.find_prompt()
result["predownload"] = conn.send_command("ap image predownload")



def poll_until(status):
    """Reads show ap image until every AP row shows the status; returns the last output and the number of reads."""
    deadline = time.time() + 90
    polls = 0
    while True:
        polls += 1
        image = conn.send_command("show ap image")
        lines = image.splitlines()
        rule = next(i for i, line in enumerate(lines) if line.startswith("-----"))
        statuses = [line.split()[3] for line in lines[rule + 1 :] if line.strip()]
        if statuses and all(s == status for s in statuses):
            return image, polls
        if time.time() > deadline:
            raise SystemExit("show ap image never showed every AP " + status + ":\n" + image)
        time.sleep(0.5)


result["showApImage"], result["polls"] = poll_until("Complete")
result["include"] = conn.send_command("show ap image | include Complete +[0-9]")
result["invalid"] = conn.send_command("show ap imagex")
result["save"] = conn.save_config()
result["runningConfig"] = conn.send_command("show running-config")
result["version"] = conn.send_command("show version")
result["summary"] = conn.send_command("show ap summary")
result["logging"] = conn.send_command("show logging | include INSTALL-5")
result["swap"] = conn.send_command("ap image swap")
result["reset"] = conn.send_command("ap image reset")
result["afterReset"], _ = poll_until("Joined")
conn.disconnect()
print(json.dumps(result))
