"""RAGFlow's queue consumer (rag/utils/redis_conn.py: RedisDB.queue_consumer and RedisMsg) for interop tests.

Written for these tests with redis-py from Debian's python3-redis: the same commands and the same decoding as
RAGFlow's code, which reads only the "message" field of an entry (RedisMsg.__init__: json.loads(message["message"]))
and so ignores any other field, such as the traceparent a traced .NET producer adds.

usage: ragflow_queue_consumer.py PORT DB QUEUE GROUP CONSUMER
  consumes one entry, acknowledges it, prints its id, its field names (comma-separated) and json.dumps(get_message())
"""
import json
import sys

import redis


class RedisMsg:
    def __init__(self, consumer, queue_name, group_name, msg_id, message):
        self.__consumer = consumer
        self.__queue_name = queue_name
        self.__group_name = group_name
        self.__msg_id = msg_id
        self.__message = json.loads(message["message"])

    def ack(self):
        try:
            self.__consumer.xack(self.__queue_name, self.__group_name, self.__msg_id)
            return True
        except Exception as e:
            print("[EXCEPTION]ack" + str(self.__queue_name) + "||" + str(e), file=sys.stderr)
        return False

    def get_message(self):
        return self.__message

    def get_msg_id(self):
        return self.__msg_id


def queue_consumer(client, queue_name, group_name, consumer_name, msg_id=">"):
    group_info = client.xinfo_groups(queue_name)
    if not any(gi["name"] == group_name for gi in group_info):
        client.xgroup_create(queue_name, group_name, id="0", mkstream=True)
    args = {"groupname": group_name, "consumername": consumer_name, "count": 1, "block": 5, "streams": {queue_name: msg_id}}
    messages = client.xreadgroup(**args)
    if not messages:
        return None, None
    stream, element_list = messages[0]
    if not element_list:
        return None, None
    msg_id, payload = element_list[0]
    return RedisMsg(client, queue_name, group_name, msg_id, payload), payload


def main(argv):
    client = redis.Redis(host="127.0.0.1", port=int(argv[1]), db=int(argv[2]), decode_responses=True)
    msg, payload = queue_consumer(client, argv[3], argv[4], argv[5])
    if msg is None:
        print("no entry", file=sys.stderr)
        return 1
    print(msg.get_msg_id())
    print(",".join(payload.keys()))
    print(json.dumps(msg.get_message(), sort_keys=True))
    return 0 if msg.ack() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
