"""HTTP for attempts, one module per screen: `exam_room` (mock start, the room, its review
screen, ending), `results` (results and the review of answers) and `drills`. They share
attempts/http.py and never import each other."""
